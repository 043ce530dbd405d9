import time

from django.core.management.base import BaseCommand

from appeals.webhook_sender import webhooks_send_pending


class Command(BaseCommand):
    help = (
        "Send the webhook deliveries that are due (the beat job's work). The embedded "
        "default has no beat: run it with --every to keep sending while developing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=0, help="repeat every N seconds")

    def handle(self, *args, **options):
        while True:
            delivered = webhooks_send_pending()
            if options["verbosity"]:
                self.stdout.write(f"Delivered {delivered}.")
            if not options["every"]:
                return
            time.sleep(options["every"])
