from django.core.management.base import BaseCommand
from tqdm import tqdm

from appeals.services.fingerprints import appeals_fingerprint_all


class Command(BaseCommand):
    help = (
        "Fingerprint appeals for duplicate detection (the beat job does new ones): those "
        "without a fingerprint, or all of them with --all."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="recompute every fingerprint")

    def handle(self, *args, **options):
        bar = tqdm(unit="appeal", disable=options["verbosity"] == 0)

        def progress(done, total):
            bar.total = total
            bar.update(done - bar.n)

        done = appeals_fingerprint_all(only_missing=not options["all"], progress=progress)
        bar.close()
        self.stdout.write(self.style.SUCCESS(f"Fingerprinted {done} appeals."))
