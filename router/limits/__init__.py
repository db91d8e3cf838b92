"""Operation limits checked before validation and planning (depth, aliases, tokens, size)."""

from router.limits.check import check_document, check_shape, parse_document
from router.limits.config import OperationLimits
from router.limits.errors import LimitExceeded, Violation
from router.limits.shape import OperationShape, fragment_shapes, measure_operation

__all__ = [
    "LimitExceeded",
    "OperationLimits",
    "OperationShape",
    "Violation",
    "check_document",
    "check_shape",
    "fragment_shapes",
    "measure_operation",
    "parse_document",
]
