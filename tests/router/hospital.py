"""Test support: three fake hospital subgraphs behind the sample supergraph (synthetic people)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.router.loopback import FakeSubgraph

__all__ = ["Hospital", "build_hospital"]

PATIENTS = {
    "p1": {"id": "p1", "name": "Ada Example", "ssn": "000-00-0001"},
    "p2": {"id": "p2", "name": "Bob Sample", "ssn": "000-00-0002"},
}
VISITS = {
    "v1": {"id": "v1", "reason": "check-up", "priority": "ROUTINE", "patient": "p1"},
    "v2": {"id": "v2", "reason": "fracture", "priority": "URGENT", "patient": "p1"},
    "v3": {"id": "v3", "reason": "classified", "priority": "SECRET", "patient": "p2"},
}


@dataclass
class Hospital:
    patients: FakeSubgraph
    clinical: FakeSubgraph
    billing: FakeSubgraph

    def as_dict(self) -> dict[str, FakeSubgraph]:
        return {"patients": self.patients, "clinical": self.clinical, "billing": self.billing}

    def reset(self) -> None:
        for subgraph in self.as_dict().values():
            subgraph.requests.clear()
            subgraph.headers.clear()
            subgraph.delay = 0.0


def _visit_cost(representation: dict[str, Any]) -> dict[str, Any]:
    if representation["id"] == "v3":
        raise ValueError("cost of v3 is sealed")
    return {"id": representation["id"], "cost": 40}


def build_hospital() -> Hospital:
    log: list[str] = []

    def rename(_: Any, __: Any, id: str, name: str) -> dict[str, Any]:  # noqa: A002 - GraphQL argument name
        log.append(f"rename:{name}")
        PATIENTS[id]["name"] = name
        return PATIENTS[id]

    patients = FakeSubgraph(
        sdl="""
        type Query { patients: [Patient!]! patient(id: ID!): Patient }
        type Mutation { renamePatient(id: ID!, name: String!): Patient }
        type Patient { id: ID! name: String! ssn: String }
        """,
        resolvers={
            "Query": {
                "patients": lambda *_: list(PATIENTS.values()),
                "patient": lambda _, __, id: PATIENTS.get(id),  # noqa: A006 - GraphQL argument name
            },
            "Mutation": {"renamePatient": rename},
        },
        entities={"Patient": lambda rep: PATIENTS.get(rep["id"])},
    )

    def visits(patient: dict[str, Any], _: Any, last: int | None = None) -> list[dict[str, Any]]:
        found = [v for v in VISITS.values() if v["patient"] == patient["id"]]
        return found[-last:] if last else found

    clinical = FakeSubgraph(
        sdl="""
        type Query { recentEvents: [Event!]! wards: [Ward!]! }
        type Patient { id: ID! name: String! visits(last: Int): [Visit!]! }
        type Visit { id: ID! reason: String priority: Priority }
        type Admission { ward: String! patient: Patient! }
        union Event = Visit | Admission
        type Ward { name: String! head: Patient }
        enum Priority { ROUTINE URGENT SECRET }
        """,
        resolvers={
            "Query": {
                "recentEvents": lambda *_: [
                    {"__typename": "Visit", **VISITS["v1"]},
                    {"__typename": "Admission", "ward": "North", "patient": {"id": "p2"}},
                ],
                "wards": lambda *_: [
                    {"name": "North", "head": {"id": "p1", "name": "Ada Example"}},
                    {"name": "South", "head": None},
                    {"name": "East", "head": {"id": "p1", "name": "Ada Example"}},
                ],
            },
            "Patient": {"visits": visits},
        },
        entities={
            "Patient": lambda rep: {"id": rep["id"]},
            "Visit": lambda rep: VISITS.get(rep["id"]),
        },
    )

    def charge(_: Any, __: Any, patientId: str, amount: int) -> dict[str, Any]:  # noqa: N803 - GraphQL argument name
        log.append(f"charge:{amount}")
        return {"number": f"inv-{len(log)}", "amount": amount, "patient": {"id": patientId}}

    billing = FakeSubgraph(
        sdl="""
        type Query { openInvoices: [Invoice!]! }
        type Mutation { charge(patientId: ID!, amount: Int!): Invoice }
        type Patient { id: ID! balance: Int! statementName: String }
        type Visit { id: ID! cost: Int }
        type Invoice { number: ID! amount: Int! patient: Patient! }
        """,
        resolvers={
            "Query": {
                "openInvoices": lambda *_: [
                    {"number": "i1", "amount": 120, "patient": {"id": "p1"}},
                ]
            },
            "Mutation": {"charge": charge},
        },
        entities={
            "Patient": lambda rep: {
                "id": rep["id"],
                "balance": 100 if rep["id"] == "p1" else None,
                "statementName": f"Statement for {rep['name']}" if "name" in rep else None,
            },
            "Visit": _visit_cost,
        },
    )
    hospital = Hospital(patients, clinical, billing)
    hospital.log = log  # type: ignore[attr-defined]
    return hospital
