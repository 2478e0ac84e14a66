"""Admin of the Mängelmelder: the city keeps its categories (with their questions and
choices), departments and the API keys of Open311 clients here. A new API key is shown once,
right after saving; only its hash is stored."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _

from gemeinsinn.servicerequests import services
from gemeinsinn.servicerequests.models import (
    ApiKey,
    AreaAlert,
    Attribute,
    AttributeValue,
    Category,
    Department,
    ServiceRequest,
    StatusChange,
)


class AttributeInline(admin.TabularInline):
    model = Attribute
    extra = 0
    fields = ["order", "code", "description", "datatype", "required", "variable"]
    show_change_link = True


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "group", "department", "expected_days", "is_active", "order"]
    list_filter = ["department", "is_active", "group"]
    search_fields = ["code", "name", "keywords"]
    inlines = [AttributeInline]


class AttributeValueInline(admin.TabularInline):
    model = AttributeValue
    extra = 1


@admin.register(Attribute)
class AttributeAdmin(admin.ModelAdmin):
    list_display = ["category", "order", "code", "description", "datatype", "required"]
    list_filter = ["category", "datatype"]
    inlines = [AttributeValueInline]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "email"]
    filter_horizontal = ["members"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "is_active", "rate_limit", "created_at", "last_used_at"]
    fields = ["name", "rate_limit", "is_active", "prefix", "created_at", "last_used_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        key, raw = services.create_api_key(obj.name, user=request.user, rate_limit=obj.rate_limit)
        obj.pk, obj.prefix, obj.key_hash, obj.created_at = (
            key.pk, key.prefix, key.key_hash, key.created_at
        )  # fmt: skip
        if not obj.is_active:
            obj.save(update_fields=["is_active"])
        messages.warning(
            request,
            _("Der neue API-Schlüssel lautet %(key)s – er wird nur jetzt angezeigt.")
            % {"key": raw},
        )


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    fields = ["created_at", "old_status", "new_status", "public_note", "internal_note", "author"]
    readonly_fields = fields
    can_delete = False


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    """For looking things up; the workflow (status, answers, e-mail) is the staff queue."""

    list_display = ["id", "category", "status", "area", "requested_at", "source"]
    list_filter = ["status", "category", "source"]
    search_fields = ["id", "description", "address"]
    date_hierarchy = "requested_at"
    readonly_fields = ["status", "requested_at", "updated_at", "first_answer_at", "closed_at",
                       "token", "api_key", "duplicate_of", "support_count"]  # fmt: skip
    exclude = ["status_notes"]
    inlines = [StatusChangeInline]


@admin.register(AreaAlert)
class AreaAlertAdmin(admin.ModelAdmin):
    """To find and delete an address on request; people order and end alerts themselves."""

    list_display = ["area", "email", "created_at", "confirmed_at"]
    list_filter = ["area"]
    search_fields = ["email"]
    fields = ["email", "area", "created_at", "confirmed_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
