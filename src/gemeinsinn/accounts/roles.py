"""The roles of gemeinsinn as Django groups. Staff roles may enter the staff area."""

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

CITIZEN = "buerger"
MODERATION = "moderation"
DEPARTMENT = "fachamt"
PLANNING = "sozialplanung"
ADMINISTRATION = "administration"
ASSEMBLY = "buergerrat"  # the Bürgerrat office: sees the pool's personal data

# code → (group name, may enter the staff area, app labels whose models the role manages)
PARTICIPATION = ("ideas", "surveys", "events")
ROLES = {
    CITIZEN: (_("Bürgerinnen und Bürger"), False, ()),
    MODERATION: (_("Moderation"), True, ("ideas",)),
    DEPARTMENT: (_("Fachamt"), True, ("ideas", "servicerequests", "events")),
    PLANNING: (_("Sozialplanung"), True, ("areas", "monitoring", "planning", *PARTICIPATION)),
    ADMINISTRATION: (
        _("Administration"),
        True,
        ("areas", "monitoring", "planning", "core", "accounts", "servicerequests", *PARTICIPATION),
    ),
    ASSEMBLY: (_("Bürgerrat-Geschäftsstelle"), True, ("assemblies",)),
}


def group_name(role: str) -> str:
    return str(ROLES[role][0])


def ensure_roles(**_kwargs) -> None:
    """Create the role groups with their permissions (run after every migrate)."""
    for name, _staff, app_labels in ROLES.values():
        group, _created = Group.objects.get_or_create(name=str(name))
        if app_labels:
            group.permissions.set(Permission.objects.filter(content_type__app_label__in=app_labels))


def assign_role(user, role: str) -> None:
    """Give a user a role; staff roles may enter the staff area, citizens may not."""
    _name, staff, _apps = ROLES[role]
    user.groups.add(Group.objects.get(name=group_name(role)))
    if staff and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def has_role(user, role: str) -> bool:
    return user.is_authenticated and user.groups.filter(name=group_name(role)).exists()
