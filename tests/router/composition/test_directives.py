"""Merging of access-control requirements in disjunctive normal form."""

from __future__ import annotations

from router.composition.directives import dnf_conjunction


def test_conjunction_distributes_and_sorts() -> None:
    assert dnf_conjunction([[["b", "a"]], [["c"], ["d"]]]) == [["a", "b", "c"], ["a", "b", "d"]]


def test_conjunction_drops_subsumed_alternatives() -> None:
    assert dnf_conjunction([[["a"], ["a", "b"]], [["a"]]]) == [["a"]]


def test_identical_requirements_merge_to_one() -> None:
    assert dnf_conjunction([[["x"]], [["x"]]]) == [["x"]]
