from django.contrib import admin

from gemeinsinn.events.models import Event, Registration


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "area", "capacity", "is_public"]
    list_filter = ["kind", "is_public"]
    search_fields = ["title", "place_name"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["event", "name", "status", "sector", "created_at"]
    list_filter = ["status", "sector"]
    search_fields = ["name", "email", "organisation"]
    exclude = ["token", "client_key"]
