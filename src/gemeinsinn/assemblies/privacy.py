"""What the assemblies app stores about a person with an account: a Bürgerrat registration
given with the same e-mail address (volunteers register with a code, not an account)."""

from gemeinsinn.assemblies.models import Volunteer


def personal_data(user) -> list[dict]:
    if not user.email:
        return []
    return [
        {
            "buergerrat": v.assembly.name,
            "name": f"{v.invitation.first_name} {v.invitation.last_name}",
            "anschrift": v.invitation.address_line(),
            "merkmale": v.features,
            "gemeldet_am": v.created_at.isoformat(),
            "stand": v.get_status_display(),
        }
        for v in Volunteer.objects.filter(email__iexact=user.email)
        .select_related("assembly", "invitation")
        .order_by("created_at")
    ]
