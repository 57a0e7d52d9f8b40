"""Every page carries a Content-Security-Policy; pages that show a secret once are not cached."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parents[2]


def test_pages_carry_a_strict_content_security_policy(client, db):
    policy = client.get(reverse("portal:home"))["Content-Security-Policy"]
    directives = dict([*p.strip().split(" ", 1), ""][:2] for p in policy.split(";"))
    assert directives["script-src"] == "'self'"  # no inline script, no other origin
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


def test_no_template_carries_inline_script_or_handlers():
    offenders = []
    for template in TEMPLATES.rglob("templates/**/*.html"):
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(
            r"\son[a-z]+\s*=\s*\"", text
        ):
            offenders.append(str(template.relative_to(TEMPLATES)))
    assert offenders == []


@pytest.mark.django_db
def test_the_api_docs_keep_their_own_policy(client):
    policy = client.get("/api/docs/")["Content-Security-Policy"]
    assert "'unsafe-inline'" in policy and "frame-ancestors 'none'" in policy
