"""Field suggestions are cut from messages; everything else is kept."""

from __future__ import annotations

from router.hygiene import without_suggestion, without_suggestions


def test_the_suggestion_sentence_is_removed() -> None:
    message = "Cannot query field 'pateints' on type 'Query'. Did you mean 'patients' or 'patient'?"
    assert without_suggestion(message) == "Cannot query field 'pateints' on type 'Query'."
    assert without_suggestion("Unknown argument 'x'.") == "Unknown argument 'x'."


def test_errors_keep_their_other_members() -> None:
    errors = [{"message": "No. Did you mean 'a'?", "extensions": {"code": "X"}}, {"path": ["a"]}]
    assert without_suggestions(errors) == [
        {"message": "No.", "extensions": {"code": "X"}},
        {"path": ["a"]},
    ]
