"""The app's ClaimRegistry: absent outside an app, which claims answer as SERVICE_UNAVAILABLE."""

from __future__ import annotations

import pytest

from subgraphs.billing.claims.runtime import registry_of
from subgraphs.common.context import Caller, RequestContext
from subgraphs.common.database import Database
from subgraphs.common.errors import ServiceUnavailable


def test_no_registry_outside_an_app() -> None:
    context = RequestContext(
        caller=Caller.anonymous(),
        database=Database("postgresql+asyncpg://127.0.0.1:1/none"),
        request_id="r",
    )
    with pytest.raises(ServiceUnavailable, match="not connected"):
        registry_of(context)
