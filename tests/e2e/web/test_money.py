"""A patient pays an invoice with PayPal in the browser (approval in PayPal's window of the local
fake, back to the app, captured, PAID when PayPal's webhook lands; a cancel first, in words), and a
declined card is shown in plain words while the invoice stays unpaid."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from tests.e2e.test_payments import invoice_status, issued_invoice, ok
from tests.e2e.web.conftest import check_screen, open_app, shows, sign_in
from tests.support.stack import DemoStack, graphql

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PAYMENTS = "query ($i: ID!) { payments(invoiceId: $i) { provider status } }"


async def _open_invoice(page: Page, stack: DemoStack, invoice: str) -> None:
    """Sign the demo patient in and open ``invoice`` from "Invoices"."""
    await open_app(page, stack)
    await sign_in(page, stack.logins["PATIENT"])
    await page.get_by_role("link", name="Invoices").click()
    row = page.locator(f'[data-invoice="{invoice}"]')
    await shows(row, text="unpaid")
    await row.get_by_role("link").click()
    await shows(page.get_by_role("heading", name="Invoice INV-"))


async def test_a_patient_pays_with_paypal_and_sees_it_paid(
    demo_stack: DemoStack, page: Page
) -> None:
    token = demo_stack.sign_in("PATIENT")
    invoice = issued_invoice(demo_stack, token)
    await open_app(page, demo_stack)
    await sign_in(page, demo_stack.logins["PATIENT"])
    await page.get_by_role("link", name="Invoices").click()
    await shows(page.locator(f'[data-invoice="{invoice}"]'), text="unpaid")
    await check_screen(page, "money-invoices")
    await page.locator(f'[data-invoice="{invoice}"]').get_by_role("link").click()
    status = page.get_by_test_id("invoice-status")
    await shows(status, text="unpaid")
    await check_screen(page, "money-invoice")

    # First the patient changes their mind on PayPal's page: back to the invoice, in words.
    async with page.context.expect_page() as opened:
        await page.get_by_role("button", name="Pay with PayPal").click()
    paypal = await opened.value
    await shows(paypal.get_by_text("80.00"))
    await paypal.get_by_role("button", name="Cancel and return").click()
    await shows(page.get_by_test_id("payment-note"), text="You cancelled the payment at PayPal")
    await expect(status).to_have_text("unpaid")
    await check_screen(page, "money-paypal-cancelled")

    # Then pays: approved there, captured here, PAID once PayPal's webhook reached billing.
    async with page.context.expect_page() as opened:
        await page.get_by_role("button", name="Pay with PayPal").click()
    paypal = await opened.value
    await paypal.get_by_role("button", name="Pay now").click()
    await shows(page.get_by_test_id("paid"), text="This invoice is paid", seconds=30)
    await expect(status).to_have_text("paid")
    await shows(page.locator("[data-payment-status=SUCCEEDED]"), text="PayPal")
    assert invoice_status(demo_stack, token, invoice)["status"] == "PAID"
    await expect(page.get_by_role("button", name="Pay with PayPal")).to_have_count(0)
    await check_screen(page, "money-paypal-paid")


async def test_a_declined_card_is_shown_in_words_and_the_invoice_stays_unpaid(
    demo_stack: DemoStack, page: Page
) -> None:
    token = demo_stack.sign_in("PATIENT")
    invoice = issued_invoice(demo_stack, token)
    await _open_invoice(page, demo_stack, invoice)

    await page.get_by_label("Card number").fill("4000 0000 0000 0002")  # Stripe's declined card
    await page.get_by_role("button", name="Pay by card").click()
    await shows(page.get_by_test_id("declined"), text="Your card was declined.")
    # The provider's payment_failed webhook lands: the payment failed, the invoice is still owed.
    await shows(page.locator("[data-payment-status=FAILED]"), text="failed", seconds=30)
    await expect(page.get_by_test_id("invoice-status")).to_have_text("unpaid")
    await expect(page.get_by_role("button", name="Pay by card")).to_be_enabled()
    await check_screen(page, "money-card-declined")
    found = invoice_status(demo_stack, token, invoice)
    assert (found["status"], found["amountDue"]["amount"]) == ("ISSUED", "80.00")
    payments = ok(graphql(demo_stack.url(), PAYMENTS, token, i=invoice))["payments"]
    assert payments == [{"provider": "STRIPE", "status": "FAILED"}], payments


async def test_paypals_return_page_needs_no_session(demo_stack: DemoStack, page: Page) -> None:
    """The page PayPal sends its window back to: it reads the outcome without signing in."""
    await open_app(page, demo_stack, "/app/paypal/cancel?token=5O190127TN364715T")
    await shows(page.get_by_test_id("paypal-return"), text="You cancelled at PayPal")
    await expect(page.get_by_label("Email")).to_have_count(0)
    await check_screen(page, "money-paypal-return")
