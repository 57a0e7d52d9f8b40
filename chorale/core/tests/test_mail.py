import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.tasks import task_backends
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from chorale.core.mail import EmlFileBackend, email_send
from conftest import REGISTRATION, path_of


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 10},
        }
    }
    yield inbox
    controller.stop()


@pytest.mark.django_db
def test_activation_mail_travels_over_real_smtp_and_its_link_opens_activation(client, smtp_server):
    client.post(reverse("accounts:register"), REGISTRATION)
    [message] = smtp_server.messages
    assert message["To"] == "nouvelle.utilisatrice@example.test"
    assert message["From"] == "Chorale <ne-pas-repondre@localhost>"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert message.get_body(preferencelist=("html",)) is not None
    link = next(word for word in text.split() if word.startswith("http"))
    page = client.get(path_of(link))
    assert page.status_code == 200
    assert "Activation du compte utilisateur" in page.content.decode()


def test_eml_backend_writes_one_readable_file_per_message(tmp_path, settings):
    from django.core.mail import EmailMessage

    backend = EmlFileBackend(file_path=str(tmp_path / "mail"), alias="default")
    sent = backend.send_messages(
        [
            EmailMessage("Sujet accentué", "Corps é", "ne-pas-repondre@localhost", ["a@x.test"]),
            EmailMessage("Deuxième", "Corps", "ne-pas-repondre@localhost", ["b@x.test"]),
        ]
    )
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert sent == 2 and len(files) == 2
    parsed = [email.message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    assert {m["Subject"] for m in parsed} == {"Sujet accentué", "Deuxième"}


@pytest.mark.django_db(transaction=True)
def test_mail_waits_in_the_durable_queue_until_the_worker_delivers_it(settings, mailoutbox):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "webhooks"]}
    }
    assert type(task_backends["default"]).__name__ == "DatabaseBackend"
    email_send("a@example.test", "accounts/email/password_reset", {"user": None, "link": "x"})
    assert mailoutbox == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert [m.to for m in mailoutbox] == [["a@example.test"]]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
