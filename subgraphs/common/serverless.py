"""AWS Lambda entry points for a service's stateless HTTP (API Gateway HTTP API, payload v2.0), via Mangum."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

__all__ = ["LambdaHandler", "lambda_handler"]

LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]


def lambda_handler(create_app: Callable[[], FastAPI]) -> LambdaHandler:
    """A Lambda handler serving ``create_app()``'s HTTP routes, built on the first invocation.

    The app is made once per execution environment (a warm Lambda reuses it); its lifespan runs
    around each invocation, as Mangum does. What needs a long-running process (subscriptions over
    WebSocket, the outbox relay, Kafka consumers, the gRPC server) stays on the service's pods:
    the Lambda's environment switches those off (deploy/serverless/template.yaml).
    """
    adapter: Any = None

    def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
        nonlocal adapter
        if adapter is None:
            from mangum import Mangum

            adapter = Mangum(create_app(), lifespan="auto")
        response: dict[str, Any] = adapter(event, context)
        return response

    return handle
