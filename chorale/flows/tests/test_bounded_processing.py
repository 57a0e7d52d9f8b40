"""One tenant cannot slow everyone down: a zip bomb is refused before anything is expanded,
documents are judged in chunks bounded by bytes, and a flow whose worker dies is resumed once
its lease runs out — and stopped, with a reason, when it keeps killing its worker."""

import datetime
import io
import zipfile

import pytest
from django.utils import timezone

from chorale.flows.batch import Document, documents
from chorale.flows.models import Flow, FlowStatus, ItemResult
from chorale.flows.processing import chunks, flow_process
from chorale.flows.services import flow_deposit

from .factories import invoice


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def zip_deposit(supplier, members: dict[str, bytes]) -> Flow:
    """These documents deposited through the API in one zip (queued, not yet processed)."""
    return flow_deposit(
        user=supplier.memberships.get().user,
        supplier=supplier,
        filename="lot.zip",
        content=zipped(members),
        channel="API",
    )


def test_a_zip_bomb_is_refused_before_any_member_is_read(settings):
    bomb = zipped({f"f{n}.xml": b"\0" * (64 * 1024 * 1024) for n in range(4)})  # 256 MB
    assert len(bomb) < 1024 * 1024
    (refusal,) = list(documents("lot.zip", bomb))
    assert refusal.content is None and "plus de 100 fois sa taille" in refusal.error


def test_a_batch_declaring_more_than_the_cap_is_refused_whole(settings):
    settings.CHORALE_MAX_BATCH_EXPANDED_BYTES = 3 * 1024 * 1024
    settings.CHORALE_MAX_BATCH_RATIO = 10**9
    batch = zipped({f"f{n}.xml": b"<x/>" * 300_000 for n in range(3)})  # three of 1.2 MB
    (refusal,) = list(documents("lot.zip", batch))
    assert "plus que les 3 Mo admis" in refusal.error


def test_a_small_well_compressed_batch_is_read():
    batch = zipped({f"f{n}.xml": b"<x/>" * 10_000 for n in range(3)})  # 120 kB, ratio ~ 300
    assert [d.content is not None for d in documents("lot.zip", batch)] == [True] * 3


def test_chunks_are_bounded_by_bytes_and_by_count():
    big = [(n, Document(f"{n}", b"x" * 10)) for n in range(7)]
    assert [len(c) for c in chunks(iter(big), 100, 25)] == [2, 2, 2, 1]
    assert [len(c) for c in chunks(iter(big), 3, 10**9)] == [3, 3, 1]
    huge = [(0, Document("0", b"x" * 50)), (1, Document("1", None))]
    assert [len(c) for c in chunks(iter(huge), 100, 25)] == [1, 1]  # never an empty chunk


@pytest.fixture
def not_processed(monkeypatch):
    """Deposits stay queued (nothing runs them) until the test runs flow_process itself."""
    monkeypatch.setattr("chorale.flows.services.enqueue", lambda *args, **kwargs: None)


def deposit(supplier) -> Flow:
    flow = flow_deposit(
        user=supplier.memberships.get().user,
        supplier=supplier,
        filename="f.xml",
        content=invoice("L-1"),
        channel="API",
    )
    return Flow.objects.get(pk=flow.pk)


def died_while_processing(flow: Flow, seconds_ago: int) -> None:
    """As a worker killed mid-flow leaves it: PROCESSING, its lease not renewed since."""
    Flow.objects.filter(pk=flow.pk).update(
        status=FlowStatus.PROCESSING,
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=seconds_ago),
        processed_at=None,
    )


def test_a_restart_after_a_death_counts_and_finishes(supplier, recipient, not_processed):
    flow = deposit(supplier)
    died_while_processing(flow, seconds_ago=3600)
    Flow.objects.filter(pk=flow.pk).update(processing_attempts=1)  # its worker died once
    flow_process(flow.pk)
    flow.refresh_from_db()
    assert (flow.processing_attempts, flow.status) == (2, FlowStatus.INTEGRATED)


def test_a_flow_that_keeps_killing_its_worker_is_stopped_with_a_reason(
    supplier, recipient, settings, not_processed
):
    settings.CHORALE_FLOW_MAX_ATTEMPTS = 3
    flow = deposit(supplier)
    died_while_processing(flow, seconds_ago=3600)
    Flow.objects.filter(pk=flow.pk).update(processing_attempts=3)  # three starts, three deaths
    flow_process(flow.pk)
    flow.refresh_from_db()
    assert flow.status == FlowStatus.REJECTED and flow.processed_at is not None
    (item,) = flow.items.all()
    assert item.errors[0]["rule"] == "CHORALE-TRAITEMENT-INTERROMPU"
    assert "interrompu 3 fois" in item.errors[0]["message"]
    flow_process(flow.pk)  # final: never judged again
    assert flow.items.count() == 1


def test_a_second_worker_on_a_live_lease_does_not_count_as_a_death(
    supplier, recipient, not_processed
):
    flow = deposit(supplier)
    died_while_processing(flow, seconds_ago=1)  # another worker holds it right now
    Flow.objects.filter(pk=flow.pk).update(processing_attempts=1)
    flow_process(flow.pk)
    flow.refresh_from_db()
    assert flow.processing_attempts == 1 and flow.status == FlowStatus.INTEGRATED


def test_a_flows_invoices_are_inserted_with_their_status_never_updated(
    supplier, recipient, not_processed
):
    """Each invoice's row is written once, already « Mise à disposition » (an update of the
    indexed status would rewrite every index entry of the row); its events say every step."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chorale.invoicing.models import InvoiceRecord
    from chorale.lifecycle.models import InvoiceEvent
    from chorale.lifecycle.statuses import Status

    flow = zip_deposit(supplier, {f"F-{n}.xml": invoice(f"LOT-{n}") for n in range(3)})
    with CaptureQueriesContext(connection) as queries:
        flow_process(flow.pk)
    table = InvoiceRecord._meta.db_table
    written = [q["sql"] for q in queries.captured_queries if f'"{table}"' in q["sql"]]
    assert any(sql.startswith("INSERT") for sql in written)
    assert not [sql for sql in written if sql.startswith("UPDATE")]
    records = InvoiceRecord.objects.filter(number__startswith="LOT-")
    assert sorted(r.status for r in records) == [Status.AVAILABLE] * 3
    assert all(r.available_at and r.status_changed_at for r in records)
    steps = InvoiceEvent.objects.filter(invoice__in=records).values_list("to_status", flat=True)
    assert list(steps).count(Status.DEPOSITED) == 3 and len(steps) == 9


def test_a_chunk_of_many_invoices_reads_back_whole(supplier, recipient, not_processed):
    """A chunk large enough to be copied on PostgreSQL (`insert_many`): each invoice keeps its
    XML, its amounts and its events, each item its verdict (a JSON list) and its invoice."""
    from decimal import Decimal

    from chorale.core.bulk import COPY_FROM
    from chorale.lifecycle.models import InvoiceEvent

    members = {f"F-{n}.xml": invoice(f"MANY-{n}") for n in range(2 * COPY_FROM)}
    members["F-again.xml"] = members["F-0.xml"]  # the same number twice: rejected
    flow = zip_deposit(supplier, members)
    flow_process(flow.pk)
    items = list(flow.items.order_by("position").select_related("invoice"))
    accepted, rejected = ItemResult.ACCEPTED, ItemResult.REJECTED
    assert [i.result for i in items] == [accepted] * (2 * COPY_FROM) + [rejected]
    assert items[-1].errors[0]["rule"] == "CHORALE-DOUBLON" and items[-1].invoice is None
    for item, content in zip(items[:-1], list(members.values())[:-1], strict=True):
        record = item.invoice
        assert bytes(record.structured_data) == content and record.number == item.invoice_number
        assert isinstance(record.total_with_vat, Decimal) and record.total_with_vat > 0
    events = InvoiceEvent.objects.filter(invoice__flow_item__flow=flow)
    assert events.count() == 3 * 2 * COPY_FROM
    recipient_user = recipient.memberships.first().user
    assert recipient_user.events.filter(kind__startswith="invoice.").count() == 2 * COPY_FROM
