"""Supergraph hot reload: a changed file swaps the supergraph; a bad one keeps the old serving."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from graphql import GraphQLObjectType

from router.http.reload import SupergraphReloader
from router.supergraph import Supergraph, parse_supergraph
from tests.router.hospital import Hospital
from tests.router.loopback import sample_sdl, serve_router

PATIENTS_FIELD = "  patients: [Patient!]! @join__field(graph: PATIENTS)\n"
SSN_FIELD = "ssn: String @join__field(graph: PATIENTS) @inaccessible"


def _without_patients_field() -> str:
    sdl = sample_sdl()
    assert PATIENTS_FIELD in sdl
    return sdl.replace(PATIENTS_FIELD, "")


def _with_ssn_accessible() -> str:
    sdl = sample_sdl()
    assert SSN_FIELD in sdl
    return sdl.replace(SSN_FIELD, "ssn: String @join__field(graph: PATIENTS)")


async def _code(http: httpx.AsyncClient, query: str) -> str | None:
    body = (await http.post("/graphql", json={"query": query})).json()
    errors = body.get("errors") or [{}]
    code: str | None = errors[0].get("extensions", {}).get("code") if "errors" in body else None
    return code


async def _until(http: httpx.AsyncClient, query: str, code: str | None) -> None:
    for _ in range(200):
        if await _code(http, query) == code:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{query} never answered with code {code}")


@pytest.fixture
async def watched(
    tmp_path: Path, hospital: Hospital
) -> AsyncIterator[tuple[Path, httpx.AsyncClient]]:
    hospital.reset()
    path = tmp_path / "supergraph.graphql"
    path.write_text(sample_sdl(), encoding="utf-8")
    async with (
        serve_router(
            sample_sdl(),
            hospital.as_dict(),
            supergraph_path=path,
            supergraph_poll_interval=0.05,
        ) as url,
        httpx.AsyncClient(base_url=url, timeout=10) as http,
    ):
        yield path, http
    hospital.reset()


async def test_changed_supergraph_serves_new_requests(
    watched: tuple[Path, httpx.AsyncClient], caplog: pytest.LogCaptureFixture
) -> None:
    path, http = watched
    assert await _code(http, '{ patient(id: "p1") { ssn } }') == "GRAPHQL_VALIDATION_FAILED"
    path.write_text(_with_ssn_accessible(), encoding="utf-8")
    await _until(http, '{ patient(id: "p1") { ssn } }', None)
    response = await http.post("/graphql", json={"query": '{ patient(id: "p1") { ssn } }'})
    assert response.json() == {"data": {"patient": {"ssn": "000-00-0001"}}}
    assert any("supergraph reloaded" in r.getMessage() for r in caplog.records)


async def test_in_flight_requests_finish_on_the_old_supergraph(
    watched: tuple[Path, httpx.AsyncClient], hospital: Hospital
) -> None:
    path, http = watched
    hospital.patients.delay = 0.5
    in_flight = asyncio.create_task(http.post("/graphql", json={"query": "{ patients { id } }"}))
    for _ in range(500):  # until the fetch has left the router
        if hospital.patients.requests:
            break
        await asyncio.sleep(0.01)
    path.write_text(_without_patients_field(), encoding="utf-8")
    hospital.patients.delay = 0.0
    await _until(http, "{ patients { id } }", "GRAPHQL_VALIDATION_FAILED")
    response = await in_flight
    assert response.json() == {"data": {"patients": [{"id": "p1"}, {"id": "p2"}]}}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("type Query { broken", "not valid GraphQL SDL"),
        ("type Query { a: Int }", "no @link to the join spec"),
        (
            sample_sdl().replace(
                '  CLINICAL @join__graph(name: "clinical", url: "http://127.0.0.1:1/clinical")\n',
                "",
            ),
            "unknown subgraph CLINICAL",  # a graph the supergraph still uses is gone
        ),
        (b"\xff\xfe not utf-8", "codec"),
    ],
    ids=["syntax", "no-join", "inconsistent", "binary"],
)
async def test_bad_supergraph_keeps_the_old_one(
    watched: tuple[Path, httpx.AsyncClient],
    caplog: pytest.LogCaptureFixture,
    content: str | bytes,
    reason: str,
) -> None:
    path, http = watched
    caplog.set_level(logging.WARNING, logger="router.reload")
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    for _ in range(200):
        refused = [r for r in caplog.records if "refused" in r.getMessage()]
        if refused:
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError("the bad supergraph was never reported")
    assert refused[0].levelno == logging.ERROR
    assert str(path) in refused[0].getMessage()
    assert reason in refused[0].getMessage()
    response = await http.post("/graphql", json={"query": '{ patient(id: "p1") { name } }'})
    assert response.json() == {"data": {"patient": {"name": "Ada Example"}}}
    # a good file afterwards is picked up again
    path.write_text(_with_ssn_accessible(), encoding="utf-8")
    await _until(http, '{ patient(id: "p1") { ssn } }', None)


async def test_supergraph_dropping_a_configured_subgraph_is_refused(
    watched: tuple[Path, httpx.AsyncClient], caplog: pytest.LogCaptureFixture
) -> None:
    path, http = watched
    sdl = sample_sdl()
    # the router's subgraph_urls name all three subgraphs; a supergraph without billing is refused
    lines = [line for line in sdl.split("\n") if "BILLING" not in line]
    path.write_text("\n".join(lines), encoding="utf-8")
    for _ in range(200):
        if any("refused" in r.getMessage() for r in caplog.records):
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError("the supergraph without billing was accepted")
    assert any("unknown subgraphs: billing" in r.getMessage() for r in caplog.records)
    response = await http.post("/graphql", json={"query": "{ openInvoices { number } }"})
    assert "errors" not in response.json()


async def test_reloader_skips_unchanged_content_and_survives_a_vanished_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "supergraph.graphql"
    path.write_text(sample_sdl(), encoding="utf-8")
    applied: list[Supergraph] = []
    reloader = SupergraphReloader(path, build=parse_supergraph, apply=applied.append)
    assert await reloader.check() is False  # nothing changed
    path.write_text(sample_sdl(), encoding="utf-8")  # rewritten with the same content
    assert await reloader.check() is False
    path.unlink()
    assert await reloader.check() is False
    assert any("is gone" in r.getMessage() for r in caplog.records)
    path.write_text(_with_ssn_accessible(), encoding="utf-8")
    assert await reloader.check() is True
    assert await reloader.check() is False  # applied once
    assert len(applied) == 1
    patient = applied[0].api_schema.type_map["Patient"]
    assert isinstance(patient, GraphQLObjectType)
    assert "ssn" in patient.fields
    assert (reloader.reloads, reloader.failures) == (1, 0)
    path.write_text("type Query { broken", encoding="utf-8")
    assert await reloader.check() is False
    assert (reloader.reloads, reloader.failures) == (1, 1)
