"""Every booking conflict is counted (``healthgraph_clinical_booking_conflicts_total``)."""

from __future__ import annotations

import uuid

from prometheus_client import REGISTRY

from subgraphs.clinical.access.principal import Principal
from subgraphs.clinical.appointments.conflicts import conflict_error
from subgraphs.common.context import Caller, Role

NAME = "healthgraph_clinical_booking_conflicts_total"


def test_each_conflict_refusal_is_counted() -> None:
    principal = Principal(caller=Caller.anonymous(), user_id=uuid.uuid4(), role=Role.DOCTOR)
    before = REGISTRY.get_sample_value(NAME) or 0.0
    conflict_error([], principal)
    conflict_error([], principal)
    assert REGISTRY.get_sample_value(NAME) == before + 2
