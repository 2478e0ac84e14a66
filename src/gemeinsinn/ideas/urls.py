from django.urls import path

from gemeinsinn.ideas import staff, views

app_name = "ideas"
urlpatterns = [
    path("ideen/", views.idea_list, name="index"),
    path("ideen/neu/", views.submit, name="submit"),
    path("ideen/statistik/", views.statistics, name="statistics"),
    path("ideen/<int:pk>/", views.detail, name="detail"),
    path("ideen/<int:pk>/unterstuetzen/", views.support, name="support"),
    path("ideen/<int:pk>/kommentieren/", views.comment, name="comment"),
    path("ideen/<int:pk>/folgen/", views.follow, name="follow"),
    path("ideen/<int:pk>/melden/", views.report, name="report"),
    path("ideen/<int:pk>/bild.jpg", views.image, name="image"),
    path("verwaltung/ideen/moderation/", staff.moderation, name="moderation"),
    path("verwaltung/ideen/moderation/idee/<int:pk>/", staff.moderate_idea, name="moderate_idea"),
    path(
        "verwaltung/ideen/moderation/kommentar/<int:pk>/",
        staff.moderate_comment,
        name="moderate_comment",
    ),
    path("verwaltung/ideen/<int:pk>/antwort/", staff.answer, name="answer"),
]
