"""ServiceSchema: Date/DateTime within range, checked ``_entities``, one log line, no tracebacks."""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

import pytest
import strawberry

from subgraphs.common.context import Caller, RequestContext
from subgraphs.common.database import Database
from subgraphs.common.service_schema import ServiceSchema

ENTITIES = "query ($r: [_Any!]!) { _entities(representations: $r) { ... on Thing { id } } }"


@strawberry.federation.type(keys=["id"])
class Thing:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Thing:  # noqa: A002 (federation key)
        return cls(id=id)


@strawberry.type
class Query:
    @strawberry.field
    def day(self, on: date) -> str:
        return on.isoformat()

    @strawberry.field
    def moment(self, at: datetime) -> str:
        return at.isoformat()

    @strawberry.field
    def thing(self) -> Thing:
        return Thing(id=strawberry.ID("1"))


schema = ServiceSchema(query=Query, types=[Thing])


async def run(query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    context = RequestContext(
        caller=Caller.anonymous(), database=Database("postgresql+asyncpg://u@h/d"), request_id="r1"
    )
    result = await schema.execute(query, variable_values=variables, context_value=context)
    return {
        "data": result.data,
        "errors": [
            (e.path, (e.extensions or {}).get("code"), e.message) for e in result.errors or ()
        ],
    }


def no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    assert not [r for r in caplog.records if r.exc_info], "an expected error logged a traceback"


@pytest.mark.parametrize(
    ("query", "value"),
    [
        ("query ($v: Date!) { day(on: $v) }", "0001-01-01"),
        ("query ($v: Date!) { day(on: $v) }", "9999-12-31"),
        ("query ($v: DateTime!) { moment(at: $v) }", "0001-01-01T00:00:00+05:00"),
        ("query ($v: DateTime!) { moment(at: $v) }", "9999-12-31T23:00:00-05:00"),
        ("query ($v: DateTime!) { moment(at: $v) }", "2020-13-45T00:00:00Z"),
        ("query ($v: DateTime!) { moment(at: $v) }", 5),
    ],
)
async def test_dates_outside_the_supported_range_are_bad_user_input(
    query: str, value: Any, caplog: pytest.LogCaptureFixture
) -> None:
    body = await run(query, {"v": value})
    [(path, code, _)] = body["errors"]
    assert (path, code) == (None, "BAD_USER_INPUT")
    no_tracebacks(caplog)


async def test_dates_in_range_and_literals() -> None:
    body = await run('{ day(on: "1000-01-01") moment(at: "2030-01-01T09:00:00+01:00") }')
    assert body == {
        "data": {"day": "1000-01-01", "moment": "2030-01-01T09:00:00+01:00"},
        "errors": [],
    }
    [(_, code, message)] = (await run('{ day(on: "0001-01-01") }'))["errors"]
    assert code == "BAD_USER_INPUT"
    assert "between 1000-01-01 and 9998-12-31" in message


def test_the_sdl_keeps_strawberry_scalars() -> None:
    sdl = schema.as_str()
    assert '"""Date (isoformat)"""\nscalar Date' in sdl
    assert '"""Date with time (isoformat)"""\nscalar DateTime' in sdl


@pytest.mark.parametrize(
    ("representation", "message"),
    [
        ("not an object", "A representation must be an object."),
        ({"id": "1"}, "A representation must name an entity type of this subgraph in __typename."),
        ({"__typename": "Query", "id": "1"}, "A representation must name an entity type"),
        ({"__typename": "Thing"}, "The Thing representation has missing id."),
        (
            {"__typename": "Thing", "id": "1", "extra": 2},
            "The Thing representation has unknown extra.",
        ),
        ({"__typename": "Thing", "id": {"a": 1}}, "The Thing representation's id must be an ID."),
        ({"__typename": "Thing", "id": True}, "The Thing representation's id must be an ID."),
    ],
)
async def test_malformed_representations_are_bad_user_input_logged_in_one_line(
    representation: Any, message: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    good = {"__typename": "Thing", "id": "7"}
    body = await run(ENTITIES, {"r": [good, representation, representation]})
    assert body["data"] == {"_entities": [{"id": "7"}, None, None]}
    assert [(path, code) for path, code, _ in body["errors"]] == [
        (["_entities", 1], "BAD_USER_INPUT"),
        (["_entities", 2], "BAD_USER_INPUT"),
    ]
    assert body["errors"][0][2].startswith(message)
    [line] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert line.getMessage().startswith("_entities refused 2 malformed representation(s)")
    assert "request r1" in line.getMessage()
    no_tracebacks(caplog)


async def test_unexpected_errors_keep_their_traceback_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    @strawberry.type
    class Crashing:
        @strawberry.field
        def crash(self) -> str:
            raise RuntimeError("internal detail")

    crashing = ServiceSchema(query=Crashing)
    result = await crashing.execute("{ crash }")
    assert [(e.extensions or {}).get("code") for e in result.errors or ()] == [
        "INTERNAL_SERVER_ERROR"
    ]
    [record] = [r for r in caplog.records if r.exc_info]
    assert record.getMessage() == "unexpected error at ['crash']"
