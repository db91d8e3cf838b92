"""The shared demo stack: every seeded role signs in through the router."""

from __future__ import annotations

import pytest

from tests.support.stack import DemoStack, graphql


@pytest.mark.slow
@pytest.mark.parametrize("role", ["ADMIN", "DOCTOR", "STAFF", "PATIENT"])
def test_each_seeded_role_signs_in_through_the_router(demo_stack: DemoStack, role: str) -> None:
    token = demo_stack.sign_in(role)
    answer = graphql(demo_stack.url(), "{ me { role } }", token)
    assert answer == {"data": {"me": {"role": role}}}
