"""Operation limits checked before validation (depth, aliases, tokens, size), router and subgraphs."""

from router.limits.check import (
    LIMIT_CODES,
    check_document,
    parse_document,
    parser_violation,
    violations,
)
from router.limits.config import OperationLimits
from router.limits.cost import COST_CODE, SLICING_CODE, CostLimits, CostModel, ListSize
from router.limits.errors import LimitExceeded, Violation
from router.limits.shape import OperationShape, fragment_shapes, measure_operation

__all__ = [
    "COST_CODE",
    "LIMIT_CODES",
    "SLICING_CODE",
    "CostLimits",
    "CostModel",
    "LimitExceeded",
    "ListSize",
    "OperationLimits",
    "OperationShape",
    "Violation",
    "check_document",
    "fragment_shapes",
    "measure_operation",
    "parse_document",
    "parser_violation",
    "violations",
]
