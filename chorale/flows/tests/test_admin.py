"""Operators watch the flows in the admin and queue unfinished ones again."""

import pytest
from django.urls import reverse

from conftest import make_structure, make_user


@pytest.fixture
def operator(db):
    return make_user("operateur@example.test", is_staff=True, is_superuser=True)


def test_operators_queue_unfinished_flows_again_from_the_flow_list(client, operator):
    from django.core.files.base import ContentFile

    from chorale.flows.models import Flow, FlowStatus

    supplier = make_structure(make_user("chef@example.test"))
    flows = [
        Flow.objects.create(
            number=f"CPP{index:022d}",
            deposited_by=operator,
            supplier=supplier,
            channel="PORTAIL",
            file=ContentFile(b"<x/>", name="f.xml"),
            original_name="f.xml",
            size=4,
            sha256="0" * 64,
            status=status,
        )
        for index, status in enumerate([FlowStatus.QUEUED, FlowStatus.INTEGRATED])
    ]
    client.force_login(operator)
    response = client.post(
        reverse("admin:flows_flow_changelist"),
        {"action": "process_again", "_selected_action": [f.pk for f in flows]},
        follow=True,
    )
    assert "1 flux remis en file de traitement ; 1 déjà terminé(s)" in response.text
