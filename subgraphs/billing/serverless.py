"""billing's HTTP routes (GraphQL, invoice and report downloads, webhooks) on AWS Lambda:
``subgraphs.billing.serverless.handler`` (deploy/serverless)."""

from __future__ import annotations

from subgraphs.billing.app import create_app
from subgraphs.common.serverless import lambda_handler

__all__ = ["handler"]

handler = lambda_handler(create_app)
