"""Works pieces travel in works flows (E4, E5), apart from other invoices (E1, E2), as Chorus
Pro keeps them: a file an EDI connection sends is deposited under the kind of syntax the
connection declared, and a piece of the other kind is rejected with its reason."""

from chorale.edi.files import receive
from chorale.edi.models import Connection
from chorale.flows.models import Flow, FlowItem
from chorale.flows.tests.factories import invoice


def test_a_connections_files_are_judged_by_the_kind_it_declared(db, erp, settings, tmp_path):
    settings.CHORALE_EDI_ROOT = str(tmp_path / "edi")
    mixed = Connection(syntaxes=["IN_DP_E1_UBL_INVOICE", "IN_DP_E4_CII_16B"])
    assert mixed.flow_syntax == ""  # declared before the rule: not judged
    erp.syntaxes = ["IN_DP_E5_CII_FACTURX", "IN_DP_E4_CII_16B"]
    erp.save()
    received = receive(erp, "F-EDI-1.xml", invoice("F-EDI-1"))
    flow = Flow.objects.get(number=received.flow_number)
    assert flow.syntax == "IN_DP_E5_CII_FACTURX" and flow.is_works
    (item,) = FlowItem.objects.filter(flow=flow)
    assert [e["rule"] for e in item.errors] == ["CHORALE-FLUX-TRAVAUX"]
    erp.syntaxes = ["IN_DP_E1_CII_16B"]
    erp.save()
    received = receive(erp, "F-EDI-2.xml", invoice("F-EDI-2"))
    assert FlowItem.objects.get(flow__number=received.flow_number).errors == []
