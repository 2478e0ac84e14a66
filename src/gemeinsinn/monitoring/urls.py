from django.urls import path

from gemeinsinn.monitoring import downloads, views

app_name = "monitoring"
urlpatterns = [
    path("indikatoren/", views.indicator_list, name="indicators"),
    path("indikatoren/<slug:code>/", views.indicator_detail, name="indicator"),
    path("daten/indikator/<slug:code>.<str:fmt>", downloads.indicator_table, name="dl_indicator"),
    path("daten/index/<slug:slug>.<str:fmt>", downloads.index_table, name="dl_index"),
    path("daten/gebiet/<slug:level>/<str:key>.<str:fmt>", downloads.area_table, name="dl_area"),
    path("daten/karte/<slug:level>.geojson", downloads.map_layer, name="dl_geojson"),
]
