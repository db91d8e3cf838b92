"""Reports over GraphQL, and as CSV and PDF downloads from the billing app: the desk only."""

from __future__ import annotations

import csv
import io

from pypdf import PdfReader

from subgraphs.common.context import Caller, Role
from tests.subgraphs.billing.conftest import BillingApi
from tests.subgraphs.billing.reports.ledger import make_ledger
from tests.support.callers import make_caller, token_for

REVENUE = """
query {
  revenueByPeriod(from: "2026-01-01", to: "2026-02-28", granularity: MONTH) {
    key currency documents billed { amount } collected { amount }
  }
  receivablesAgeing(asOf: "2026-05-01") { bucket currency invoices outstanding { amount } }
  claimsByStatus(from: "2026-01-01", to: "2026-12-31") { status claims }
}
"""


async def test_reports_over_graphql(billing_api: BillingApi, admin: Caller) -> None:
    await make_ledger(billing_api.database, admin)
    body = await billing_api.execute(REVENUE, caller=admin)
    assert "errors" not in body
    data = body["data"]
    assert data["revenueByPeriod"][0] == {
        "key": "2026-01-01",
        "currency": "GBP",
        "documents": 2,
        "billed": {"amount": "220.00"},
        "collected": {"amount": "120.00"},
    }
    assert [row["bucket"] for row in data["receivablesAgeing"][:4]] == [
        "0-30",
        "31-60",
        "61-90",
        "90+",
    ]
    assert data["claimsByStatus"] == []


async def test_others_get_forbidden(billing_api: BillingApi) -> None:
    for role in (Role.DOCTOR, Role.PATIENT):
        body = await billing_api.execute(REVENUE, caller=make_caller(role))
        assert body["data"] is None
        assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
    body = await billing_api.execute(REVENUE)
    assert {e["extensions"]["code"] for e in body["errors"]} == {"UNAUTHENTICATED"}


async def test_downloads(billing_api: BillingApi, staff: Caller) -> None:
    await make_ledger(billing_api.database, staff)
    auth = {"authorization": f"Bearer {token_for(staff)}"}
    params = {"from": "2026-01-01", "to": "2026-02-28"}
    response = await billing_api.http.get(
        "/reports/revenue-by-payer.csv", params=params, headers=auth
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "revenue-by-payer.csv" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["Payer", "Currency", "Documents", "Billed", "Collected"]
    assert ["TOTAL", "GBP", "4", "260.00", "120.00"] in rows

    pdf = await billing_api.http.get(
        "/reports/receivables-ageing.pdf", params={"asOf": "2026-05-01"}, headers=auth
    )
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Accounts receivable ageing" in text
    assert "225.00" in text


async def test_downloads_refuse_others_with_stable_codes(billing_api: BillingApi) -> None:
    for role in (Role.DOCTOR, Role.PATIENT):
        auth = {"authorization": f"Bearer {token_for(make_caller(role))}"}
        response = await billing_api.http.get("/reports/claims-by-status.csv", headers=auth)
        assert response.status_code == 403
        assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    anonymous = await billing_api.http.get("/reports/claims-by-status.pdf")
    assert anonymous.status_code == 401
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    admin = {"authorization": f"Bearer {token_for(make_caller(Role.ADMIN))}"}
    unknown = await billing_api.http.get("/reports/payroll.csv", headers=admin)
    assert unknown.status_code == 404
    wrong = await billing_api.http.get("/reports/claims-by-status.xlsx", headers=admin)
    assert wrong.status_code == 400
    assert wrong.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    bad_day = await billing_api.http.get(
        "/reports/claims-by-status.csv", params={"from": "2026-13-01"}, headers=admin
    )
    assert bad_day.status_code == 422


REPORT_CSV = """
query ($report: ReportName!) {
  reportCsv(report: $report, from: "2026-01-01", to: "2026-02-28") { filename contentType text }
}
"""


async def test_report_csv_over_graphql_is_the_download(
    billing_api: BillingApi, staff: Caller
) -> None:
    await make_ledger(billing_api.database, staff)
    body = await billing_api.execute(REPORT_CSV, {"report": "REVENUE_BY_PAYER"}, caller=staff)
    assert "errors" not in body
    file = body["data"]["reportCsv"]
    assert file["filename"] == "revenue-by-payer.csv"
    assert file["contentType"].startswith("text/csv")
    download = await billing_api.http.get(
        "/reports/revenue-by-payer.csv",
        params={"from": "2026-01-01", "to": "2026-02-28"},
        headers={"authorization": f"Bearer {token_for(staff)}"},
    )
    assert file["text"] == download.text
    assert file["text"].startswith("Payer,Currency,")


async def test_report_csv_refuses_others(billing_api: BillingApi) -> None:
    for role in (Role.DOCTOR, Role.PATIENT):
        body = await billing_api.execute(
            REPORT_CSV, {"report": "CLAIMS_BY_STATUS"}, caller=make_caller(role)
        )
        assert body["data"] is None
        assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
