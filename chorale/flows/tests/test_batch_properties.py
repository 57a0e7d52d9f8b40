"""Any bytes deposited as an archive become documents, or documents refused with a reason."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chorale.flows.batch import documents

PROPERTIES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTIES
@given(st.binary(max_size=2048), st.sampled_from([b"", b"PK\x03\x04"]))
def test_any_archive_bytes_become_documents_or_a_reason(data, prefix):
    for document in documents("lot.zip", prefix + data):
        assert document.content is not None or document.error
