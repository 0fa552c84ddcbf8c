"""`samaki rotate_case_keys`: re-encrypt every case narrative with the first SAMAKI_FIELD_KEYS key."""

from django.core.management.base import BaseCommand

from samaki.cases.services import rotate_field_keys


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted case field with the first key of SAMAKI_FIELD_KEYS. Run it "
        "after putting a new key first; then the old keys may be removed."
    )

    def handle(self, *args, **options) -> None:
        total = rotate_field_keys(log=self.stdout.write)
        self.stdout.write(f"Done: {total:,} rows re-encrypted with the first key.")
