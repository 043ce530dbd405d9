from django.core.management.base import BaseCommand, CommandError

from deputies import oktmo


class Command(BaseCommand):
    help = (
        "Load the country's municipal formations from the official OKTMO classifier "
        "CSV (Rosstat open data: semicolon-separated, windows-1251). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the classifier's CSV file")

    def handle(self, *args, file, **options):
        try:
            with open(file, "rb") as f:
                data = f.read()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            rows = oktmo.parse(data)
        except oktmo.OktmoError as error:
            raise CommandError(f"{file}: {error}") from None
        self.stdout.write(f"{len(rows)} municipal formations in {file}.")

        def progress(region, counts):
            if options["verbosity"]:
                self.stdout.write(
                    f"  {region.code} {region.name}: {counts.created} created, "
                    f"{counts.matched} matched so far"
                )

        counts = oktmo.load(rows, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {counts.created} created, {counts.matched} given their code, "
                f"{counts.unchanged} unchanged."
            )
        )
