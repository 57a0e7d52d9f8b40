"""Data migrations of the flows: stored findings keep their meaning."""

import importlib


def test_a_stored_finding_place_is_renamed_from_value_to_path_and_back():
    migration = importlib.import_module("chorale.flows.migrations.0003_findings_path")
    stored = [
        {"rule": "BR-09", "severity": "fatal", "message": "…", "term": "BT-40", "value": "/a"},
        "an odd entry is left as it is",
    ]
    renamed = migration._renamed(stored, "value", "path")
    assert renamed[0]["path"] == "/a" and "value" not in renamed[0]
    assert renamed[1] == stored[1]
    assert migration._renamed(renamed, "path", "value") == stored
