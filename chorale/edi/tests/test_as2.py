"""The AS2 endpoint with pyas2lib playing the partner: a signed and encrypted invoice file in,
a signed MDN out, the invoice in the recipient's inbox and the compte rendu sent back over AS2
to the partner's own server; duplicates, bad signatures, unknown partners, undecryptable
messages, expired certificates and a qualification connection addressing production each get
a negative MDN with the reason; the partner down, the return is retried later."""

import datetime
import http.server
import threading

import pytest
from django.utils import timezone

from chorale.edi import as2, outbox
from chorale.edi.models import AS2Message, Connection, Outgoing, OutgoingStatus, Stage
from chorale.edi.tests.helpers import batch, free_port, supplier_and_commune, wait_for
from chorale.flows.models import Flow
from chorale.flows.tests.factories import RECIPIENT_SIRET, invoice
from chorale.invoicing.models import InvoiceRecord

pytestmark = pytest.mark.django_db(transaction=True)


def key_pair(name: str, days: int = 365) -> tuple[bytes, bytes]:
    """A partner's key and self-signed certificate (PEM), valid `days` from now."""
    return as2.self_signed(name, days=days, key_size=2048)


class PartnerServer:
    """The partner's own AS2 server: takes Chorale's messages with pyas2lib and answers a
    signed MDN; keeps what it received (payloads, asynchronous MDNs)."""

    def __init__(self, org, chorale):
        self.org, self.chorale, self.received, self.mdns = org, chorale, [], []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                raw = b"".join(f"{k}: {v}\r\n".encode() for k, v in self.headers.items())
                raw += b"\r\n" + body
                if self.path == "/mdn":
                    outer.mdns.append(raw)
                    self.send_response(200)
                    self.end_headers()
                    return
                message = as2.Message()
                status, _error, mdn = message.parse(
                    raw, find_org_partner_cb=lambda to, frm: (outer.org, outer.chorale)
                )
                if status == "processed":
                    outer.received.append((message.payload.get_filename(), message.content))
                self.send_response(200)
                for key, value in (mdn.headers if mdn else {}).items():
                    self.send_header(key, " ".join(value.split()))
                self.end_headers()
                self.wfile.write(mdn.content if mdn else b"")

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def world(settings, tmp_path):
    settings.CHORALE_EDI_ROOT = str(tmp_path / "edi")
    settings.CHORALE_EDI_AS2_KEY = ""
    key, cert = key_pair("ERP ATELIER")
    user, supplier = supplier_and_commune()
    org = as2.Organization(as2_name="ATELIER-AS2", sign_key=key + cert, decrypt_key=key + cert)
    chorale_cert = as2.certificate_pem()
    server = PartnerServer(org, as2.Partner(as2_name="CHORALE", verify_cert=chorale_cert))
    connection = Connection.objects.create(
        structure=supplier,
        declared_by=user,
        label="ERP en AS2",
        partner_code="ERP002",
        protocol="AS2",
        direction="EMISSION",
        returns=["CR"],
        as2_identifier="ATELIER-AS2",
        as2_url=f"http://127.0.0.1:{server.port}/as2",
        as2_certificate=cert.decode(),
        certificate_expires_at=timezone.now() + datetime.timedelta(days=365),
        stage=Stage.PRODUCTION,
    )
    yield {"org": org, "chorale_cert": chorale_cert, "connection": connection, "server": server}
    server.close()


def to_chorale(world, *, to="CHORALE", mdn_mode="SYNC", **changes):
    return as2.Partner(
        as2_name=to,
        verify_cert=world["chorale_cert"],
        encrypt_cert=changes.pop("encrypt_cert", world["chorale_cert"]),
        sign=True,
        encrypt=True,
        enc_alg="aes_256_cbc",
        mdn_mode=mdn_mode,
        mdn_digest_alg="sha256",
        **changes,
    )


def send(client, world, content: bytes, *, org=None, partner=None, message_id=None):
    message = as2.Message(sender=org or world["org"], receiver=partner or to_chorale(world))
    message.build(
        content,
        filename="lot.zip",
        content_type="application/octet-stream",  # binary: sent as is, never canonicalised
        message_id=message_id,
    )
    extra, content_type = {}, ""
    for key, value in message.headers.items():
        if key.lower() == "content-type":
            content_type = value
        else:
            extra["HTTP_" + key.upper().replace("-", "_")] = value
    response = client.post("/edi/as2/", data=message.content, content_type=content_type, **extra)
    return message, response


def mdn_of(message, response) -> tuple[str, str, str]:
    """(status, detail, human-readable text) of the synchronous MDN."""
    raw = b"".join(f"{k}: {v}\r\n".encode() for k, v in response.items()) + b"\r\n"
    raw += response.content
    status, detail = as2.Mdn().parse(raw, find_message_cb=lambda mid, recipient: message)
    return status, detail or "", response.content.decode("latin-1")


def test_a_signed_encrypted_file_becomes_a_flow_and_its_report_goes_back_over_as2(client, world):
    message, response = send(client, world, batch("A-1", "A-2"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("multipart/signed")  # a signed MDN
    assert mdn_of(message, response)[:2] == ("processed", "")
    assert wait_for(lambda: InvoiceRecord.objects.count() == 2)
    record = InvoiceRecord.objects.get(number="A-1")
    assert record.recipient.identifier == RECIPIENT_SIRET and record.status == "MISE_A_DISPOSITION"
    flow = Flow.objects.get()
    assert (flow.channel, flow.trial) == ("EDI", False)
    server = world["server"]
    assert wait_for(lambda: server.received)
    name, content = server.received[0]
    assert name == f"CR_{flow.number}.xml"
    assert b"<Etat>IN_INTEGRE</Etat>" in content and b"<NombreFacturesAcceptees>2<" in content
    assert Outgoing.objects.get().status == OutgoingStatus.SENT


def test_the_same_message_id_twice_is_taken_once_with_a_duplicate_warning(client, world):
    content = invoice("D-1")
    send(client, world, content, message_id="lot-42")
    message, response = send(client, world, content, message_id="lot-42")
    status, detail, _text = mdn_of(message, response)
    assert (status.lower(), detail) == ("processed/warning", "duplicate-document")
    assert Flow.objects.count() == 1 and AS2Message.objects.count() == 1


@pytest.mark.parametrize("case", ["bad signature", "unknown partner", "undecryptable"])
def test_each_bad_message_gets_a_negative_mdn_with_its_reason(client, world, case):
    org, partner = world["org"], to_chorale(world)
    if case == "bad signature":  # signed with a key that is not the declared one
        other_key, other_cert = key_pair("IMPOSTEUR")
        org = as2.Organization(
            as2_name="ATELIER-AS2",
            sign_key=other_key + other_cert,
            decrypt_key=other_key + other_cert,
        )
    elif case == "unknown partner":
        org = as2.Organization(
            as2_name="INCONNU",
            sign_key=key_pair("INCONNU")[0] + key_pair("INCONNU")[1],
        )
    else:  # encrypted for another certificate than Chorale's
        partner = to_chorale(world, encrypt_cert=key_pair("AUTRE")[1])
    _message, response = send(client, world, invoice("B-1"), org=org, partner=partner)
    assert response.status_code == 200
    raw = response.content.decode("latin-1")
    expected = {
        "bad signature": ("authentication-failed", "ne correspond pas au certificat"),
        "unknown partner": ("unknown-trading-partner", "inconnu"),
        "undecryptable": ("decryption-failed", "ne se dechiffre pas"),
    }[case]
    assert f"processed/Error: {expected[0]}" in raw
    assert expected[1] in response.content.decode("utf-8", "replace")
    assert not Flow.objects.exists()


def test_an_expired_certificate_and_a_suspended_connection_are_refused(client, world):
    connection = world["connection"]
    Connection.objects.filter(pk=connection.pk).update(
        certificate_expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    _message, response = send(client, world, invoice("E-1"))
    text = response.content.decode("utf-8", "replace")
    assert "processed/Error: authentication-failed" in text and "a expire le" in text
    Connection.objects.filter(pk=connection.pk).update(
        certificate_expires_at=None, stage=Stage.SUSPENDED
    )
    _message, response = send(client, world, invoice("E-2"))
    assert "n'est pas ouvert aux echanges" in response.content.decode("utf-8", "replace")
    assert not Flow.objects.exists()


def test_qualification_files_go_to_the_qualification_name_and_are_never_routed(client, world):
    Connection.objects.filter(pk=world["connection"].pk).update(stage=Stage.QUALIFICATION)
    _message, response = send(client, world, invoice("Q-1"))  # to production: refused
    assert "adressez vos fichiers de test a CHORALE_QUALIF" in response.content.decode(
        "utf-8", "replace"
    )
    assert not Flow.objects.exists()
    message, response = send(
        client, world, invoice("Q-2"), partner=to_chorale(world, to="CHORALE_QUALIF")
    )
    assert mdn_of(message, response)[0] == "processed"
    assert wait_for(lambda: Flow.objects.filter(status="IN_INTEGRE").exists())
    assert Flow.objects.get().trial and not InvoiceRecord.objects.exists()


def test_an_asynchronous_mdn_is_posted_to_the_partner_later(client, world, settings):
    server = world["server"]
    org = world["org"]
    org.mdn_url = f"http://127.0.0.1:{server.port}/mdn"
    message, response = send(
        client, world, invoice("M-1"), partner=to_chorale(world, mdn_mode="ASYNC")
    )
    assert response.status_code == 200 and response.content == b""
    assert wait_for(lambda: server.mdns)
    status, _detail = as2.Mdn().parse(server.mdns[0], find_message_cb=lambda mid, r: message)
    assert status == "processed"


def test_a_return_to_a_partner_that_is_down_is_retried_until_it_answers(world, settings):
    connection = world["connection"]
    down = free_port()
    Connection.objects.filter(pk=connection.pk).update(as2_url=f"http://127.0.0.1:{down}/as2")
    connection.refresh_from_db()
    outbox.deliver(connection, "retour", "CR_test.xml", b"<CompteRendu/>")
    outgoing = Outgoing.objects.get()
    assert outgoing.status == OutgoingStatus.PENDING and outgoing.attempts == 1
    assert outgoing.next_attempt_at > timezone.now() and outgoing.last_error
    first_id = outgoing.message_id
    Outgoing.objects.filter(pk=outgoing.pk).update(
        url=connection.as2_url.replace(str(down), str(world["server"].port))
    )
    outgoing = outbox.attempt(outgoing.pk)
    assert outgoing.status == OutgoingStatus.SENT and outgoing.message_id == first_id
    assert world["server"].received[0] == ("CR_test.xml", b"<CompteRendu/>")


def test_a_huge_message_is_refused_before_it_is_read(client, world, settings):
    settings.CHORALE_MAX_DEPOSIT_BYTES = 1024
    response = client.post("/edi/as2/", data=b"x" * 100_000, content_type="application/pkcs7-mime")
    assert response.status_code == 413 and "trop volumineux" in response.content.decode()
    not_as2 = client.post("/edi/as2/", data=b"hello", content_type="text/plain")
    assert not_as2.status_code == 400 and "AS2-From" in not_as2.content.decode()
    assert client.get("/edi/as2/certificat.pem").content.startswith(b"-----BEGIN CERTIFICATE")
