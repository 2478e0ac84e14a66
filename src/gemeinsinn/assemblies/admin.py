"""Assemblies are created and configured in the admin (name, term, size, features, retention);
the pool's personal data is shown only on the staff pages of the Bürgerrat office."""

from django.contrib import admin

from gemeinsinn.assemblies.models import Assembly, Draw


@admin.register(Assembly)
class AssemblyAdmin(admin.ModelAdmin):
    list_display = ["name", "term_start", "term_end", "panel_size", "status"]
    prepopulated_fields = {"slug": ["name"]}
    fields = [
        "name", "slug", "description", "district_level", "term_start", "term_end",
        "panel_size", "features", "retention_days", "previous", "exclude_previous_members",
        "seed_source",
    ]  # fmt: skip


@admin.register(Draw)
class DrawAdmin(admin.ModelAdmin):
    list_display = ["assembly", "kind", "algorithm", "panel_number", "created_at"]
    readonly_fields = [f.name for f in Draw._meta.fields]

    def has_add_permission(self, request):
        return False
