from django.urls import path

from gemeinsinn.surveys import staff, views

app_name = "surveys"
urlpatterns = [
    path("umfragen/", views.survey_list, name="list"),
    path("umfragen/<slug:slug>/", views.start, name="start"),
    path("umfragen/<slug:slug>/seite/<int:number>/", views.page, name="page"),
    path("umfragen/<slug:slug>/eine-seite/", views.one_page, name="one_page"),
    path("umfragen/<slug:slug>/absenden/", views.submit, name="submit"),
    path("umfragen/<slug:slug>/danke/", views.thanks, name="thanks"),
    path("umfragen/<slug:slug>/weiter/<str:token>/", views.resume, name="resume"),
    path("verwaltung/umfragen/", staff.survey_list, name="staff_list"),
    path("verwaltung/umfragen/<slug:slug>/", staff.detail, name="staff_detail"),
    path("verwaltung/umfragen/<slug:slug>/bearbeiten/", staff.edit, name="staff_edit"),
    path("verwaltung/umfragen/<slug:slug>/codes/", staff.codes, name="staff_codes"),
    path("verwaltung/umfragen/<slug:slug>/briefe/", staff.letters, name="staff_letters"),
    path("verwaltung/umfragen/<slug:slug>/papier/", staff.batches, name="staff_batches"),
    path(
        "verwaltung/umfragen/<slug:slug>/papier/<int:pk>/",
        staff.paper_entry,
        name="staff_paper",
    ),
    path(
        "verwaltung/umfragen/<slug:slug>/papier/<int:pk>/pruefung/",
        staff.paper_check,
        name="staff_paper_check",
    ),
    path("verwaltung/umfragen/<slug:slug>/ergebnisse/", staff.results, name="staff_results"),
    path("verwaltung/umfragen/<slug:slug>/antworten.csv", staff.export_csv, name="export_csv"),
    path("verwaltung/umfragen/<slug:slug>/antworten.xlsx", staff.export_xlsx, name="export_xlsx"),
    path("verwaltung/umfragen/<slug:slug>/codebuch.csv", staff.codebook_csv, name="codebook"),
]
