from django.contrib import admin

from gemeinsinn.monitoring.models import Dataset, IndexDefinition, IndexRun, Indicator


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "topic", "kind", "numerator", "denominator", "direction"]
    list_filter = ["topic", "kind"]
    search_fields = ["code", "name"]


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ["file_name", "kind", "level", "status", "created_at"]
    list_filter = ["kind", "status"]


@admin.register(IndexDefinition)
class IndexDefinitionAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "class_scheme", "is_published"]


@admin.register(IndexRun)
class IndexRunAdmin(admin.ModelAdmin):
    list_display = ["definition", "year", "created_at", "input_checksum"]
