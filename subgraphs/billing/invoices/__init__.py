"""Invoices and credit notes: lines, totals in minor units, gap-free numbers, PDF and CSV."""
