"""`gemeinsinn manage erase_event_registrations`: erase the personal data of registrations of
past events (for a daily cron job; registering for an event does it too)."""

from django.core.management.base import BaseCommand

from gemeinsinn.events import services


class Command(BaseCommand):
    help = "Löscht die Personendaten von Anmeldungen zu vergangenen Veranstaltungen."

    def handle(self, *args, **options):
        erased = services.erase_past_registrations()
        days = services.ERASE_AFTER.days
        self.stdout.write(
            f"{erased} Anmeldungen von Veranstaltungen, die vor mehr als {days} Tagen "
            "endeten, gelöscht."
        )
