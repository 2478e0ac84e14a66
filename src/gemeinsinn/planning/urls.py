from django.urls import path

from gemeinsinn.planning import plan_staff, staff, views

STAFF = "verwaltung/planung/"

app_name = "planning"
urlpatterns = [
    path("handlungskonzept/", views.plan, name="public_plan"),
    path("handlungskonzept/massnahmen/<int:pk>/", views.measure, name="public_measure"),
    path(STAFF + "rangfolge/", staff.ranking, name="ranking"),
    path(STAFF + "rangfolge/speichern/", staff.save_ranking, name="save_ranking"),
    path(STAFF + "rangfolgen/", staff.saved_list, name="saved_list"),
    path(STAFF + "rangfolgen/<int:pk>/", staff.saved_detail, name="saved"),
    path(STAFF + "rangfolgen/<int:pk>/bearbeiten/", staff.ranking, name="reuse"),
    path(STAFF + "foerdergebiete/", staff.target_areas, name="target_areas"),
    path(
        STAFF + "foerdergebiete/<int:pk>/aufheben/",
        staff.withdraw_target_area,
        name="withdraw_target_area",
    ),
    path(STAFF + "handlungskonzept/", plan_staff.plan, name="plan"),
    path(STAFF + "handlungskonzept/import/", plan_staff.import_measures, name="import"),
    path(STAFF + "handlungskonzept/massnahmen.<str:fmt>", plan_staff.export, name="export"),
    path(STAFF + "massnahmen/<int:pk>/", plan_staff.measure, name="measure"),
    path(STAFF + "ziele/", plan_staff.goals, name="goals"),
]
