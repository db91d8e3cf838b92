"""``analytics`` and ``analyticsLag`` over the real app: ADMIN and STAFF only, checked spans."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from subgraphs.clinical.analytics.service import apply_events
from subgraphs.common.context import Role
from tests.subgraphs.clinical.analytics.synthetic import DAY, known_day
from tests.subgraphs.clinical.conftest import ClinicalApi, clinical_settings, serving
from tests.support.callers import make_caller

ANALYTICS = """
query($from: Date!, $to: Date!) {
  analytics(from: $from, to: $to) {
    days {
      date signIns failedSignIns invoicesIssued invoicesPaid revenue { currency amountMinor }
      appointments { booked cancelled noShow averageLeadTimeHours bookedMinutes availableMinutes utilisation }
    }
    doctors { date doctorId appointments { booked utilisation } }
  }
}
"""
LAG = "{ analyticsLag { group total partitions { topic partition lag } } }"


@pytest.fixture
async def api(
    clinical_url: str, kafka_bootstrap: str, tmp_path: Path
) -> AsyncIterator[ClinicalApi]:
    """The app reading the store (its consumer off: the store is filled directly)."""
    settings = clinical_settings(
        clinical_url, key_path=tmp_path / "rx.pem", kafka_bootstrap_servers=kafka_bootstrap
    )
    async with serving(settings) as served:
        yield served


@pytest.mark.parametrize("role", [Role.ADMIN, Role.STAFF])
async def test_admin_and_staff_read_the_figures(api: ClinicalApi, role: Role) -> None:
    known = known_day()
    async with api.database.transaction() as session:
        await apply_events(session, known.events, consumer="clinical-analytics")
    body = await api.execute(
        ANALYTICS, {"from": str(DAY), "to": str(DAY)}, caller=make_caller(role)
    )
    assert "errors" not in body, body
    (day,) = body["data"]["analytics"]["days"]
    assert day["date"] == str(DAY)
    assert (day["signIns"], day["failedSignIns"], day["invoicesPaid"]) == (2, 1, 1)
    assert day["revenue"] == [{"currency": "EUR", "amountMinor": 12000}]
    assert day["appointments"] == {
        "booked": 3,
        "cancelled": 1,
        "noShow": 1,
        "averageLeadTimeHours": 12.0,
        "bookedMinutes": 90,
        "availableMinutes": 720,
        "utilisation": 0.125,
    }
    doctors = {
        d["doctorId"]: d["appointments"]["booked"] for d in body["data"]["analytics"]["doctors"]
    }
    assert doctors == {str(known.doctors[0]): 1, str(known.doctors[1]): 2}


@pytest.mark.parametrize("role", [Role.DOCTOR, Role.PATIENT])
async def test_doctors_and_patients_are_refused(api: ClinicalApi, role: Role) -> None:
    for query, variables in ((ANALYTICS, {"from": str(DAY), "to": str(DAY)}), (LAG, {})):
        body = await api.execute(query, variables, caller=make_caller(role))
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
        assert "analytics:read" in body["errors"][0]["message"]


async def test_a_span_too_long_or_backwards_is_bad_input(api: ClinicalApi) -> None:
    admin = make_caller(Role.ADMIN)
    for span in (
        {"from": "2037-03-02", "to": "2037-03-01"},
        {"from": "2030-01-01", "to": "2037-03-01"},
    ):
        body = await api.execute(ANALYTICS, span, caller=admin)
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body


async def test_the_lag_is_read_from_the_broker(api: ClinicalApi) -> None:
    body = await api.execute(LAG, caller=make_caller(Role.STAFF))
    assert "errors" not in body, body
    lag = body["data"]["analyticsLag"]
    assert lag["group"] == "clinical-analytics"
    assert lag["total"] == sum(p["lag"] for p in lag["partitions"])
