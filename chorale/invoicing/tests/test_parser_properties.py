"""The readers never fail in an unplanned way: any bytes, and any damage done to a valid
invoice, end as an invoice read or a FormatError with a French message (which the flows turn
into a rejection) — never another exception."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chorale.invoicing.formats import read_invoice, write_invoice
from chorale.invoicing.formats.errors import FormatError
from chorale.invoicing.validation import validate_document

from .factories import sample_invoice

VALID = {syntax: write_invoice(sample_invoice(), syntax) for syntax in ("CII", "UBL_INVOICE")}
PROPERTIES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read_or_refuse(data: bytes) -> None:
    try:
        found, invoice = read_invoice(data)
    except FormatError as error:
        assert error.code and error.message
        return
    validate_document(found, invoice, "native")  # what is read can always be judged


@PROPERTIES
@given(st.binary(max_size=2048))
def test_any_bytes_are_read_or_refused(data):
    read_or_refuse(data)


@PROPERTIES
@given(
    st.sampled_from(sorted(VALID)),
    st.lists(
        st.tuples(st.integers(0, 10_000), st.integers(0, 40), st.binary(max_size=12)),
        min_size=1,
        max_size=4,
    ),
)
def test_a_damaged_invoice_is_read_or_refused(syntax, edits):
    data = bytearray(VALID[syntax])
    for at, cut, insert in edits:
        at %= len(data)
        data[at : at + cut] = insert
    read_or_refuse(bytes(data))
