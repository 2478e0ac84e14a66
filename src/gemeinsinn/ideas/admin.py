from django.contrib import admin

from gemeinsinn.ideas.models import BlockedUser, Category, Idea, Process


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    list_display = ["title", "collect_from", "collect_until", "comment_until"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ["title", "area", "category", "status", "is_hidden", "created_at"]
    list_filter = ["status", "is_hidden", "category", "process"]
    search_fields = ["title", "text"]
    readonly_fields = ["author", "answered_by", "client_key", "support_count"]


@admin.register(BlockedUser)
class BlockedUserAdmin(admin.ModelAdmin):
    list_display = ["user", "reason", "created_at"]
    raw_id_fields = ["user", "blocked_by"]
