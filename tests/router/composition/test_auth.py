"""Implication between access-control requirements."""

from __future__ import annotations

from router.composition.auth import implies
from router.composition.merged import Auth


def test_stronger_requirements_imply_weaker_ones() -> None:
    assert implies(Auth(authenticated=True), Auth())
    assert implies(Auth(scopes=[["a", "b"]]), Auth(scopes=[["a"]]))
    assert implies(Auth(scopes=[["a"], ["b"]]), Auth(scopes=[["a"], ["b"]]))


def test_weaker_requirements_do_not_imply_stronger_ones() -> None:
    assert not implies(Auth(), Auth(authenticated=True))
    assert not implies(Auth(scopes=[["a"]]), Auth(scopes=[["a", "b"]]))
    assert not implies(Auth(scopes=[["a"], ["c"]]), Auth(scopes=[["a"]]))
    assert not implies(Auth(policies=[["p"]]), Auth(policies=[["q"]]))
