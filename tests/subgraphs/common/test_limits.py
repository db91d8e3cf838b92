"""A service's limits: the router's measurement (tests/router/limits), its codes and errors."""

from __future__ import annotations

import pytest
from graphql import parse

from router.limits import LIMIT_CODES, OperationLimits
from subgraphs.common.errors import ErrorCode
from subgraphs.common.limits import SERVICE_OPERATION_LIMITS, ServiceLimits, limit_errors
from tests.support.hostile import fragment_bomb


def test_every_limit_code_is_a_service_error_code() -> None:
    assert {code.value for code in ErrorCode} >= LIMIT_CODES


def test_errors_have_the_routers_extensions() -> None:
    document = parse("query A { a } query B { a { b { c } } }")
    [error] = limit_errors(document, OperationLimits(max_depth=2))
    assert (
        error.message
        == "The operation 'B' is nested 3 fields deep, over the limit of 2 (max_depth)."
    )
    assert error.extensions == {"code": "MAX_DEPTH_EXCEEDED", "limit": "max_depth", "maximum": 2}
    assert limit_errors(document, SERVICE_OPERATION_LIMITS) == []


@pytest.mark.timeout(10)
def test_a_fragment_bomb_goes_over_the_service_defaults() -> None:
    limits = ServiceLimits().operation
    codes = [e.extensions["code"] for e in limit_errors(parse(fragment_bomb(100)), limits)]  # type: ignore[index]
    assert codes == ["MAX_SELECTIONS_EXCEEDED", "MAX_ROOT_FIELDS_EXCEEDED"]
    assert (limits.max_tokens, limits.max_root_fields, limits.max_selections) == (10_000, 30, 1_000)
