from django.core.management.base import BaseCommand
from tqdm import tqdm

from appeals.models import Appeal
from appeals.search import reindex, vocabulary_rebuild


class Command(BaseCommand):
    help = (
        "Rewrite the appeals' search lemmas (after a change to the lemmatizer or to the "
        "document's form) and the vocabulary of near spellings, in batches with progress."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=2000)
        parser.add_argument(
            "--vocabulary-only",
            action="store_true",
            help="only rebuild the vocabulary (after a bulk load such as seed_demo's)",
        )

    def handle(self, *args, **options):
        if options["vocabulary_only"]:
            words = vocabulary_rebuild()
            self.stdout.write(f"Vocabulary: {words} words.")
            return
        total = Appeal.objects.count()
        with tqdm(total=total, unit="appeals", disable=options["verbosity"] == 0) as bar:
            changed = reindex(batch=options["batch"], progress=bar.update)
        self.stdout.write(self.style.SUCCESS(f"Rewrote {changed} of {total} appeals."))
