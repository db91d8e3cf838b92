"""ICD-10 style diagnosis codes (WHO ICD-10 and ICD-10-CM shapes): validation and normal form."""

from __future__ import annotations

import re

__all__ = ["normalize_icd10"]

# A category letter, two more category characters (digit, then digit or letter: "I10", "C4A",
# "U07"), then optionally a dot and one to four subcategory characters ("E11.65", "S72.001A").
_CODE = re.compile(r"^([A-Z][0-9][0-9A-Z])(?:\.?([0-9A-Z]{1,4}))?$")


def normalize_icd10(code: str) -> str:
    """``code`` in its dotted upper-case form (``e119`` -> ``E11.9``); ValueError when malformed."""
    candidate = code.strip().upper()
    match = _CODE.fullmatch(candidate)
    if match is None or candidate.endswith("."):
        raise ValueError(
            f"{code!r} is not an ICD-10 code (a letter, two characters, then optionally "
            "a dot and up to four characters, e.g. E11.9)"
        )
    category, subcategory = match.groups()
    return f"{category}.{subcategory}" if subcategory else category
