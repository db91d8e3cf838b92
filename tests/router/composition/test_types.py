"""Subtyping used to merge field and argument types."""

from __future__ import annotations

from router.composition.types import is_strict_subtype, is_subtype


def _never(_abstract: str, _member: str) -> bool:
    return False


def test_non_null_and_list_rules() -> None:
    assert is_subtype("String", "String!", _never)
    assert not is_subtype("String!", "String", _never)
    assert is_subtype("[Int]", "[Int!]!", _never)
    assert not is_subtype("[Int]", "Int", _never)
    assert not is_strict_subtype("Int", "Int", _never)


def test_interface_implementations_are_subtypes() -> None:
    def possible(abstract: str, member: str) -> bool:
        return (abstract, member) == ("Role", "Nurse")

    assert is_subtype("Role", "Nurse!", possible)
    assert not is_subtype("Nurse", "Role", possible)
