"""`gemeinsinn manage erase_assembly_data`: delete the personal data of Bürgerräte whose
retention after the term has ended (for a daily cron job)."""

from django.core.management.base import BaseCommand

from gemeinsinn.assemblies import services


class Command(BaseCommand):
    help = "Löscht die Personendaten von Bürgerräten, deren Löschfrist abgelaufen ist."

    def handle(self, *args, **options):
        done = services.delete_expired_personal_data()
        names = ", ".join(a.name for a in done) or "keine"
        self.stdout.write(f"Personendaten gelöscht für {len(done)} Bürgerräte: {names}.")
