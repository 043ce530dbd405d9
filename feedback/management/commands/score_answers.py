from django.core.management.base import BaseCommand
from tqdm import tqdm

from feedback.formulaic import answer_score, answers_to_score


class Command(BaseCommand):
    help = "Score every final answer that has no formulaic-answer score yet, oldest first."

    def handle(self, *args, **options):
        ids = list(answers_to_score())
        flagged = 0
        for message_id in tqdm(ids, unit="answer", disable=options["verbosity"] == 0):
            score = answer_score(message_id=message_id)
            flagged += bool(score and score.formulaic)
        self.stdout.write(
            self.style.SUCCESS(f"Scored {len(ids)} answers, {flagged} of them formulaic.")
        )
