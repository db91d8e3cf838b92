"""The chain client keeps the interpreter's recursion limit that py-evm and py_ecc raise."""

from __future__ import annotations

import json
import sys

import pytest

from subgraphs.billing.claims.chain import ClaimRegistry
from subgraphs.billing.claims.chain.client import INTERPRETER_RECURSION_LIMIT


async def test_a_running_chain_leaves_deep_input_a_recursion_error(registry: ClaimRegistry) -> None:
    # the in-process chain (py-evm, py_ecc) is up: the limit is still Python's default, so nesting
    # too deep is a RecursionError (a 400 at the HTTP front) and never a C stack overflow
    assert registry is not None
    assert sys.getrecursionlimit() <= INTERPRETER_RECURSION_LIMIT
    with pytest.raises(RecursionError):
        json.loads("[" * 200_000 + "]" * 200_000)
