from django import template

from gemeinsinn.ideas import services

register = template.Library()


@register.filter
def can_moderate(user) -> bool:
    """{% if user|can_moderate %}: the person may use the moderation queue."""
    return services.may_moderate(user)
