"""What the events app stores about a person, for the privacy page and download.
Registrations need no account; those with the account's e-mail address are listed."""

from gemeinsinn.events.models import Registration


def personal_data(user) -> dict:
    if not user.email:
        return {"anmeldungen": []}
    registrations = Registration.objects.filter(email__iexact=user.email).select_related("event")
    return {
        "anmeldungen": [
            {
                "veranstaltung": r.event.title,
                "beginn": r.event.starts_at.isoformat(),
                "name": r.name,
                "e_mail": r.email,
                "organisation": r.organisation,
                "bereich": r.get_sector_display() if r.sector else "",
                "unterstuetzungsbedarf": r.needs,
                "stand": r.get_status_display(),
                "angemeldet_am": r.created_at.isoformat(),
            }
            for r in registrations.order_by("created_at", "id")
        ]
    }
