from django.urls import path

from gemeinsinn.monitoring import staff

app_name = "staff"
urlpatterns = [
    path("", staff.home, name="home"),
    path("import/grenzen/", staff.upload_boundaries, name="upload_boundaries"),
    path("import/statistik/", staff.upload_statistics, name="upload_statistics"),
    path("import/<int:pk>/", staff.dataset_detail, name="dataset"),
    path("import/<int:pk>/bestaetigen/", staff.confirm_dataset, name="confirm_dataset"),
    path("import/<int:pk>/fortschritt/", staff.dataset_progress, name="dataset_progress"),
    path("indikatoren/", staff.indicator_list, name="indicators"),
    path("indikatoren/neu/", staff.indicator_edit, name="indicator_new"),
    path("indikatoren/<int:pk>/", staff.indicator_edit, name="indicator_edit"),
    path("index/", staff.index_list, name="indexes"),
    path("index/neu/", staff.index_edit, name="index_new"),
    path("index/<int:pk>/", staff.index_edit, name="index_edit"),
    path("index/<int:pk>/berechnen/", staff.index_run, name="index_run"),
    path("berechnungen/<int:pk>/", staff.run_detail, name="run"),
    path("berechnungen/<int:pk>/pruefen/", staff.run_verify, name="run_verify"),
    path("stadt/", staff.city_settings, name="city"),
]
