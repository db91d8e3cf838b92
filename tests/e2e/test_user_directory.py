"""The account directory is an administrator's and the desk's: a doctor finds patients through
clinical's care-team-filtered ``patients``, never through auth's ``users``."""

from __future__ import annotations

from tests.support.stack import DemoStack, graphql


def test_a_doctor_cannot_browse_the_account_directory(demo_stack: DemoStack) -> None:
    doctor = demo_stack.sign_in("DOCTOR")
    answer = graphql(demo_stack.url(), "{ users(first: 5) { nodes { email } } }", doctor)
    assert answer.get("data") is None, answer
    # refused by the router (@requiresScopes) or by auth itself, whichever checks first
    assert answer["errors"][0]["extensions"]["code"] in {"UNAUTHORIZED_FIELD_OR_TYPE", "FORBIDDEN"}
    own = graphql(demo_stack.url(), "{ patients(first: 5) { nodes { id email } } }", doctor)
    assert "errors" not in own, own
    admin = graphql(
        demo_stack.url(), "{ users(first: 5) { nodes { email } } }", demo_stack.sign_in("ADMIN")
    )
    assert admin["data"]["users"]["nodes"], admin
