"""Record content validation: every invalid field named, codes normalised, sections diffed."""

from __future__ import annotations

import pytest

from subgraphs.clinical.records.content import (
    RecordContent,
    changed_sections,
    validate_content,
)
from subgraphs.common.errors import BadUserInput


def test_valid_content_is_normalised() -> None:
    content = validate_content(
        {
            "notes": "  stable  ",
            "diagnoses": [{"code": "e119", "text": "Type 2 diabetes", "primary": True}],
            "vitals": {"heart_rate_bpm": 72, "temperature_c": 36.8},
        }
    )
    assert content.notes == "stable"
    assert content.diagnoses[0].code == "E11.9"
    assert content.vitals is not None
    assert content.vitals.heart_rate_bpm == 72


def test_every_invalid_field_is_reported() -> None:
    with pytest.raises(BadUserInput) as caught:
        validate_content(
            {
                "diagnoses": [{"code": "XYZ", "text": "?"}],
                "vitals": {"heart_rate_bpm": 900, "measured_at": "2026-01-01T10:00:00"},
                "notes_format": "HTML",
                "notes": "x" * 20_001,
            }
        )
    fields = set(caught.value.extensions["fields"])
    assert fields == {
        "diagnoses.0.code",
        "vitals.heartRateBpm",
        "vitals.measuredAt",
        "notesFormat",
        "notes",
    }
    assert caught.value.as_extensions()["code"] == "BAD_USER_INPUT"


def test_only_one_primary_diagnosis() -> None:
    with pytest.raises(BadUserInput, match="at most one diagnosis can be primary"):
        validate_content(
            {
                "diagnoses": [
                    {"code": "I10", "text": "Hypertension", "primary": True},
                    {"code": "E11.9", "text": "Diabetes", "primary": True},
                ]
            }
        )


def test_unknown_sections_are_refused() -> None:
    with pytest.raises(BadUserInput, match="html"):
        validate_content({"html": "<b>x</b>"})


def test_changed_sections() -> None:
    before = RecordContent(notes="a")
    after = validate_content({"notes": "a", "allergies": [{"substance": "Penicillin"}]})
    assert changed_sections(before, after) == ["allergies"]
    assert changed_sections(None, after) == ["notes", "allergies"]
