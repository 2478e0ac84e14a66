from django.urls import path

from gemeinsinn.socialreport import published, staff, views

STAFF = "verwaltung/berichte/"

app_name = "socialreport"
urlpatterns: list = [
    # public: /berichte/…, staff: /verwaltung/berichte/… (added by the report views)
    path("berichte/", published.report_list, name="published"),
    path("berichte/<int:pk>/<str:name>", published.report_file, name="published_file"),
    path(STAFF, staff.index, name="staff_index"),
    path(STAFF + "<int:pk>/", staff.job_detail, name="job"),
    path(STAFF + "<int:pk>/datei/", staff.download, name="download"),
    path(STAFF + "<int:pk>/neu-starten/", staff.restart, name="restart"),
    path(STAFF + "<int:pk>/veroeffentlichen/", staff.publish, name="publish"),
    path(STAFF + "<int:pk>/zurueckziehen/", staff.withdraw, name="withdraw"),
    path(STAFF + "<int:pk>/loeschen/", staff.delete, name="delete"),
    path(STAFF + "texte/", staff.texts_start, name="texts_start"),
    path(STAFF + "texte/<slug:kind>/<int:year>/", staff.texts, name="texts"),
]

# the public Kompass (views.py)
urlpatterns += [
    path("kompass/", views.kompass, name="kompass"),
    path("kompass/<str:period>/", views.kompass, name="kompass_period"),
    path(
        "kompass/<str:period>/leichte-sprache/",
        views.kompass,
        {"easy": True},
        name="kompass_easy",
    ),
    path(
        "kompass/<str:period>/buergerjournal-<str:language>.pdf",
        views.kompass_pdf,
        name="kompass_pdf",
    ),
]
