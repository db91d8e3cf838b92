"""ICD-10 code validation and normal form."""

from __future__ import annotations

import pytest

from subgraphs.clinical.records.icd10 import normalize_icd10


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("E11.9", "E11.9"),
        ("e119", "E11.9"),
        (" I10 ", "I10"),
        ("C4A.0", "C4A.0"),
        ("S72.001A", "S72.001A"),
        ("U07.1", "U07.1"),
    ],
)
def test_valid_codes_are_normalised(raw: str, expected: str) -> None:
    assert normalize_icd10(raw) == expected


@pytest.mark.parametrize("raw", ["", "E1", "11.9", "E11.", "E11.12345", "E11-9", "<b>E11</b>"])
def test_malformed_codes_are_refused(raw: str) -> None:
    with pytest.raises(ValueError, match="not an ICD-10 code"):
        normalize_icd10(raw)
