from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ratings.models import RatingRun
from ratings.services import ratings_recompute


class Command(BaseCommand):
    help = "Recompute every deputy's rating now (the same service as the nightly job)."

    def handle(self, *args, **options):
        bar = tqdm(unit="step", disable=options["verbosity"] == 0)

        def progress(step, total):
            bar.total = total
            bar.update(step - bar.n)

        run = ratings_recompute(trigger=RatingRun.Trigger.MANUAL, progress=progress)
        bar.close()
        if run is None:
            raise CommandError("Another recompute is running; try again when it has finished.")
        seconds = (run.finished_at - run.started_at).total_seconds()
        self.stdout.write(
            self.style.SUCCESS(
                f"Rated {run.deputies_count} deputies with formula v{run.formula.version} "
                f"in {seconds:.1f} s (national speed {run.national_speed:.3f}, "
                f"quality {run.national_quality:.3f})."
            )
        )
