from django.urls import path

from gemeinsinn.assemblies import staff, views

app_name = "assemblies"
urlpatterns = [
    path("buergerrat/", views.assembly_list, name="index"),
    path("buergerrat/<slug:slug>/", views.detail, name="detail"),
    path("buergerrat/<slug:slug>/anmelden/", views.register, name="register"),
    path("buergerrat/<slug:slug>/danke/", views.thanks, name="thanks"),
    path("buergerrat/<slug:slug>/ziehung/<int:pk>/<str:name>", views.download, name="download"),
    path("verwaltung/buergerrat/", staff.index, name="staff_index"),
    path("verwaltung/buergerrat/<slug:slug>/", staff.manage, name="manage"),
    path("verwaltung/buergerrat/<slug:slug>/briefe.pdf", staff.letters, name="letters"),
    path("verwaltung/buergerrat/<slug:slug>/druckerei.csv", staff.print_shop, name="print_shop"),
    path("verwaltung/buergerrat/<slug:slug>/freiwillige/", staff.volunteers, name="volunteers"),
    path("verwaltung/buergerrat/<slug:slug>/quoten/", staff.quotas, name="quotas"),
    path("verwaltung/buergerrat/<slug:slug>/auslosung/", staff.draw, name="draw"),
    path(
        "verwaltung/buergerrat/<slug:slug>/auslosung/stand/",
        staff.draw_progress,
        name="draw_progress",
    ),
    path("verwaltung/buergerrat/<slug:slug>/loeschen/", staff.erase, name="erase"),
]
