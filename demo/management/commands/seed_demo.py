import time
from argparse import BooleanOptionalAction
from datetime import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from appeals.models import Appeal, TopicModel
from appeals.search import vocabulary_rebuild as search_vocabulary_rebuild
from appeals.services.topic_model import topic_model_train
from demo.seeder import (
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    DemoSeeder,
    demo_now,
    flush_demo,
)
from ratings.models import RatingRun
from ratings.services import ratings_recompute


class Command(BaseCommand):
    help = "Fill the database with realistic demo deputies, citizens, appeals and feedback."

    def add_arguments(self, parser):
        parser.add_argument("--deputies", type=int, default=300)
        parser.add_argument("--appeals", type=int, default=10000)
        parser.add_argument(
            "--citizens", type=int, default=None, help="default: a quarter of the appeals"
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--today", default=None, help="YYYY-MM-DD the data is relative to (default: today)"
        )
        parser.add_argument("--flush", action="store_true", help="remove earlier demo data first")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when appeals already exist"
        )
        parser.add_argument(
            "--topic-model",
            action=BooleanOptionalAction,
            default=True,
            help="train and activate the topic-suggestion model at the end (default: yes)",
        )

    def handle(self, *args, **options):
        if options["deputies"] < 0 or options["appeals"] < 0:
            raise CommandError("Sizes must not be negative.")
        exists = Appeal.objects.exists()
        if exists and options["if_empty"]:
            self.stdout.write("Appeals already exist; demo data left as it is.")
            if options["topic_model"] and not TopicModel.objects.filter(is_active=True).exists():
                self._train_topic_model(options)
            return
        if exists and not options["flush"]:
            raise CommandError("The database already has appeals. Use --flush to replace them.")
        now = demo_now()
        if options["today"]:
            day = datetime.strptime(options["today"], "%Y-%m-%d").date()  # noqa: DTZ007
            now = now.replace(year=day.year, month=day.month, day=day.day)
        citizens = options["citizens"] or max(10, options["appeals"] // 4)

        started = time.monotonic()
        if options["flush"]:
            self.stdout.write("Removing earlier demo data…")
            flush_demo()
        bar = tqdm(total=options["appeals"], unit="appeals", disable=options["verbosity"] == 0)
        seeder = DemoSeeder(
            deputies=options["deputies"],
            appeals=options["appeals"],
            citizens=citizens,
            seed=options["seed"],
            now=now,
            progress=bar.update,
        )
        counts = seeder.run()
        bar.close()
        search_vocabulary_rebuild()  # the bulk path writes the lemmas, not the vocabulary
        self.stdout.write("Computing the first rating table…")
        ratings_recompute(trigger=RatingRun.Trigger.MANUAL)
        if options["topic_model"]:
            self._train_topic_model(options)
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {counts.deputies} deputies, {counts.citizens} citizens, "
                f"{counts.appeals} appeals ({counts.events} events, {counts.messages} messages, "
                f"{counts.feedback} feedback) in {elapsed:.1f} s on "
                f"{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}."
            )
        )
        self.stdout.write(
            "Statuses: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.by_status.items()))
        )
        self.stdout.write(
            f"Demo logins (password {DEMO_PASSWORD}): citizen@demo.test, deputy@demo.test, "
            "committee@demo.test, federal@demo.test, admin@demo.test"
        )
        self.stdout.write(
            "Staff accounts then ask for a code from an authenticator app: "
            f"`oathtool --totp -b {DEMO_TOTP_SECRET}`, or any TOTP app given this key."
        )

    def _train_topic_model(self, options):
        """The filing form's topic suggestions need a model: trained here, from the data
        shipped with the project (never downloaded)."""
        self.stdout.write("Training the topic-suggestion model…")
        say = (lambda line: self.stdout.write(f"  {line}")) if options["verbosity"] else None
        model = topic_model_train(progress=say)
        figures = (model.evaluation.get("held_out_fifth") or {}).get("top_level", {})
        if figures:
            self.stdout.write(
                f"  topic model v{model.version}: top-1 {figures['top1']:.2f}, "
                f"macro-F1 {figures['macro_f1']:.2f} on a held-out fifth"
            )
