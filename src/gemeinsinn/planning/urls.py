from django.urls import path

from gemeinsinn.planning import staff

app_name = "planning"
urlpatterns = [
    path("verwaltung/planung/rangfolge/", staff.ranking, name="ranking"),
    path("verwaltung/planung/rangfolge/speichern/", staff.save_ranking, name="save_ranking"),
    path("verwaltung/planung/rangfolgen/", staff.saved_list, name="saved_list"),
    path("verwaltung/planung/rangfolgen/<int:pk>/", staff.saved_detail, name="saved"),
    path("verwaltung/planung/rangfolgen/<int:pk>/bearbeiten/", staff.ranking, name="reuse"),
    path("verwaltung/planung/foerdergebiete/", staff.target_areas, name="target_areas"),
    path(
        "verwaltung/planung/foerdergebiete/<int:pk>/aufheben/",
        staff.withdraw_target_area,
        name="withdraw_target_area",
    ),
]
