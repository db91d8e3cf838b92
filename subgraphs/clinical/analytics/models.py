"""The analytics store: daily counters and the doctors' weekly hours, both derived from events."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import BigInteger, Column, Date, Integer, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

__all__ = ["AnalyticsCounter", "AnalyticsDoctorHours"]


class AnalyticsCounter(SQLModel, table=True):
    """``value`` of ``metric`` on ``day`` (UTC) for ``dimension`` (a doctor id, a currency or '').

    Every event only adds to counters, so events applied in any order give the same figures.
    """

    __tablename__ = "analytics_counter"

    day: date = Field(sa_column=Column(Date, primary_key=True))
    metric: str = Field(sa_column=Column(String(40), primary_key=True))
    dimension: str = Field(sa_column=Column(String(64), primary_key=True))
    value: int = Field(sa_column=Column(BigInteger, nullable=False))


class AnalyticsDoctorHours(SQLModel, table=True):
    """A doctor's weekly working minutes per ISO weekday ("1".."7"), as of schedule ``version``."""

    __tablename__ = "analytics_doctor_hours"

    doctor_id: uuid.UUID = Field(primary_key=True)
    time_zone: str = Field(sa_column=Column(String(64), nullable=False))
    minutes_by_weekday: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    version: int = Field(sa_column=Column(Integer, nullable=False))
