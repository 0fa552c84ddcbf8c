from django.core.management.base import BaseCommand

from samaki.areas.services import gazetteer_load


class Command(BaseCommand):
    help = "Load or refresh Cambodia's administrative gazetteer (idempotent)."

    def handle(self, *args, **options):
        result = gazetteer_load()
        self.stdout.write(
            f"Gazetteer: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        )
