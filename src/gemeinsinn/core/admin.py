from django.contrib import admin

from gemeinsinn.core.models import AuditEvent, CityProfile


@admin.register(CityProfile)
class CityProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "ags", "min_population", "min_count", "min_denominator"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "summary", "actor"]
    list_filter = ["action"]
    readonly_fields = ["created_at", "action", "summary", "actor", "details"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
