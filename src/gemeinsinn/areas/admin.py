from django.contrib import admin

from gemeinsinn.areas.models import Area, Boundary, SpatialLevel


@admin.register(SpatialLevel)
class SpatialLevelAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order", "parent", "is_target_area"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "level", "parent", "population"]
    list_filter = ["level"]
    search_fields = ["key", "name"]


@admin.register(Boundary)
class BoundaryAdmin(admin.ModelAdmin):
    list_display = ["area", "valid_from", "valid_to", "area_m2"]
    list_filter = ["area__level", "valid_to"]
    exclude = ["geojson"]
