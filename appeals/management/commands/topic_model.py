import json

from django.core.management.base import BaseCommand

from appeals.services import topic_model


class Command(BaseCommand):
    help = (
        "Train the topic-suggestion model (KZgovData, the demo texts and, once enough "
        "exist, the platform's confirmed topics) or evaluate what training would give."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["train", "evaluate"])
        parser.add_argument(
            "--no-activate", action="store_true", help="train: store without activating"
        )
        parser.add_argument("--json", action="store_true", help="evaluate: print JSON")

    def handle(self, *args, action, no_activate, json, **options):
        say = self.stdout.write if options["verbosity"] else None
        if action == "train":
            model = topic_model.topic_model_train(activate=not no_activate, progress=say)
            self._print(model.evaluation)
            return
        result = topic_model.topic_model_evaluate()
        if json:
            self.stdout.write(_json(result))
        else:
            self._print(result)

    def _print(self, result):
        for name, title in (
            ("held_out_fifth", "Held-out fifth of the training data"),
            ("demo", "Demo texts (model trained without them)"),
        ):
            part = result.get(name)
            if not part:
                continue
            self.stdout.write(f"{title}: {part['texts']} texts")
            for level, label in (("top_level", "top topics"), ("subtopics", "subtopics")):
                figures = part.get(level)
                if figures:
                    self.stdout.write(
                        f"  {label:<11} macro-F1 {figures['macro_f1']:.3f}  "
                        f"top-1 {figures['top1']:.3f}  top-3 {figures['top3']:.3f}"
                    )


def _json(result):
    return json.dumps(result, ensure_ascii=False, indent=2)
