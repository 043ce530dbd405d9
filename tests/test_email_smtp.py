"""The e-mail outbox against a real SMTP server (aiosmtpd, in a thread on a free port):
what a refusing or vanishing server leaves queued, and that nothing goes twice."""

import socket

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from appeals.models import Notification
from appeals.notifications import notifications_send_pending

from .factories import AppealFactory, CitizenFactory

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MailServer:
    """Keeps what it accepted; `answer` decides what it does with the next letter."""

    def __init__(self):
        self.letters = []
        self.answer = "accept"  # or "refuse" (550), or "drop" (closes the connection)

    async def handle_DATA(self, server, session, envelope):
        if self.answer == "refuse":
            return "550 5.7.1 Message refused"
        if self.answer == "drop":
            server.transport.close()
            return "421 4.3.0 Gone"
        self.letters.append(envelope)
        if self.answer == "drop_after_one":
            self.answer = "drop"
        return "250 OK"

    @property
    def recipients(self):
        return sorted(r for letter in self.letters for r in letter.rcpt_tos)


@pytest.fixture
def smtp_port(settings):
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS, settings.EMAIL_USE_SSL, settings.EMAIL_TIMEOUT = False, False, 5
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    return port


@pytest.fixture
def start_server(smtp_port):
    controllers = []

    def start():
        handler = MailServer()
        controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        controllers.append(controller)
        return handler

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def queued(db):
    """Three letters waiting in the outbox, to three people."""
    rows = []
    for n in range(3):
        citizen = CitizenFactory(email=f"reader{n}@example.org")
        appeal = AppealFactory(citizen=citizen)
        rows.append(
            Notification.objects.create(
                user=citizen, appeal=appeal, kind="answered", created_at=timezone.now()
            )
        )
    return rows


def _waiting():
    return Notification.objects.filter(emailed_at__isnull=True).count()


EVERYONE = ["reader0@example.org", "reader1@example.org", "reader2@example.org"]


def test_the_sender_delivers_each_letter_once(start_server, queued):
    server = start_server()

    assert notifications_send_pending() == 3
    notifications_send_pending()  # the next minute's run

    assert server.recipients == EVERYONE
    assert "77-2026-" in server.letters[0].content.decode()
    assert _waiting() == 0


def test_a_server_that_is_not_there_leaves_the_letters_queued(smtp_port, start_server, queued):
    assert notifications_send_pending() == 0  # connection refused: no error, nothing lost

    assert _waiting() == 3
    server = start_server()
    notifications_send_pending()
    assert server.recipients == EVERYONE
    assert _waiting() == 0


def test_a_server_that_refuses_leaves_the_letters_queued(start_server, queued):
    server = start_server()
    server.answer = "refuse"

    assert notifications_send_pending() == 0

    assert _waiting() == 3
    server.answer = "accept"
    notifications_send_pending()
    assert server.recipients == EVERYONE


def test_a_dropped_connection_keeps_the_rest_queued_and_sends_nothing_twice(start_server, queued):
    server = start_server()
    server.answer = "drop_after_one"

    assert notifications_send_pending() == 1

    assert _waiting() == 2
    server.answer = "accept"
    notifications_send_pending()
    notifications_send_pending()
    assert server.recipients == EVERYONE  # the first letter once, not again
