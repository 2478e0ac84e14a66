from django.urls import path

from gemeinsinn.events import staff, views

app_name = "events"
urlpatterns = [
    path("veranstaltungen/", views.event_list, name="index"),
    path("veranstaltungen/<int:pk>/", views.detail, name="detail"),
    path("veranstaltungen/<int:pk>/anmelden/", views.register, name="register"),
    path("veranstaltungen/<int:pk>/kalender.ics", views.calendar_file, name="ics"),
    path("veranstaltungen/anmeldung/<str:token>/bestaetigen/", views.confirm, name="confirm"),
    path("veranstaltungen/anmeldung/<str:token>/absagen/", views.cancel, name="cancel"),
    path("verwaltung/veranstaltungen/", staff.event_list, name="staff_list"),
    path("verwaltung/veranstaltungen/neu/", staff.edit, name="new"),
    path("verwaltung/veranstaltungen/<int:pk>/bearbeiten/", staff.edit, name="edit"),
    path("verwaltung/veranstaltungen/<int:pk>/", staff.attendees, name="attendees"),
    path(
        "verwaltung/veranstaltungen/<int:pk>/teilnehmende.<str:fmt>",
        staff.export,
        name="export",
    ),
    path("verwaltung/veranstaltungen/<int:pk>/ergebnisse/", staff.results, name="results"),
]
