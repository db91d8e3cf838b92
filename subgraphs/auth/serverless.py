"""auth's REST and GraphQL on AWS Lambda: ``subgraphs.auth.serverless.handler`` (deploy/serverless)."""

from __future__ import annotations

from subgraphs.auth.app import create_app
from subgraphs.common.serverless import lambda_handler

__all__ = ["handler"]

handler = lambda_handler(create_app)
