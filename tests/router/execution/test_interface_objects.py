"""Interface objects end to end: representation typename rewrites and `__typename` fix-ups."""

from __future__ import annotations

from typing import Any

import httpx

from tests.router.conftest import post
from tests.router.loopback import FakeSubgraph, sample_sdl, serve_router

CLINICIANS = {
    "c1": {"__typename": "Doctor", "id": "c1", "specialty": "cardiology"},
    "c2": {"__typename": "Nurse", "id": "c2", "ward": "North"},
}
BADGES = {"c1": "B-001", "c2": "B-002"}


def _accounts() -> FakeSubgraph:
    return FakeSubgraph(
        sdl="""
        type Query { roster: [Clinician!]! }
        interface Clinician { id: ID! }
        type Doctor implements Clinician { id: ID! specialty: String }
        type Nurse implements Clinician { id: ID! ward: String }
        """,
        resolvers={"Query": {"roster": lambda *_: list(CLINICIANS.values())}},
        entities={"Clinician": lambda rep: CLINICIANS.get(rep["id"])},
        entity_union=("Doctor", "Nurse"),
    )


def _staff(seen: list[dict[str, Any]]) -> FakeSubgraph:
    def badge(rep: dict[str, Any]) -> dict[str, Any]:
        seen.append(rep)
        return {"id": rep["id"], "badge": BADGES[rep["id"]]}

    return FakeSubgraph(
        sdl="""
        type Query { onDuty: [Clinician!]! }
        type Clinician { id: ID! badge: String }
        """,
        resolvers={
            "Query": {
                "onDuty": lambda *_: [
                    {"__typename": "Clinician", "id": k, "badge": v} for k, v in BADGES.items()
                ]
            }
        },
        entities={"Clinician": badge},
    )


async def test_interface_object_fields_and_real_typenames() -> None:
    seen: list[dict[str, Any]] = []
    subgraphs = {"accounts": _accounts(), "staff": _staff(seen)}
    async with (
        serve_router(sample_sdl("interface-object"), subgraphs) as url,
        httpx.AsyncClient(base_url=url, timeout=10) as http,
    ):
        on_duty = await post(http, "{ onDuty { badge __typename ... on Doctor { specialty } } }")
        roster = await post(http, "{ roster { id ... on Nurse { ward badge } } }")
    assert on_duty.json() == {
        "data": {
            "onDuty": [
                {"badge": "B-001", "__typename": "Doctor", "specialty": "cardiology"},
                {"badge": "B-002", "__typename": "Nurse"},
            ]
        }
    }
    assert roster.json() == {
        "data": {"roster": [{"id": "c1"}, {"id": "c2", "ward": "North", "badge": "B-002"}]}
    }
    # the interface-object subgraph is asked with the interface name, not the concrete type
    assert seen == [{"__typename": "Clinician", "id": "c2"}]
