"""Subscriptions over HTTP: Apollo's multipart protocol (subscriptionSpec 1.0) and GraphQL over SSE (graphql-sse distinct connections)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from router.http.sessions import SubscriptionRuntime
from router.pipeline import SupergraphResponse
from router.pipeline.socket_auth import SocketAuthError, SocketIdentity
from router.pipeline.subscriptions import StreamItem, Subscriber

__all__ = ["MULTIPART", "SSE", "stream_kind", "stream_response"]

MULTIPART = "multipart"
SSE = "sse"
_MULTIPART_TYPE = 'multipart/mixed;boundary="graphql";subscriptionSpec="1.0"'
_PART = b"\r\ncontent-type: application/json\r\n\r\n"
_BOUNDARY = b"\r\n--graphql"


def stream_kind(accept: str) -> str | None:
    """Which streaming transport an ``Accept`` header asks for, if any."""
    lowered = accept.lower()
    if "multipart/mixed" in lowered and "subscriptionspec" in lowered:
        return MULTIPART
    if "text/event-stream" in lowered:
        return SSE
    return None


def _expired() -> dict[str, Any]:
    return {
        "message": "Your access token expired: subscribe again with a fresh one.",
        "extensions": {"code": "UNAUTHENTICATED"},
    }


def _revoked(reason: str) -> dict[str, Any]:
    return {
        "message": f"{reason} Subscribe again with a fresh token.",
        "extensions": {"code": "UNAUTHENTICATED"},
    }


def _shutdown() -> dict[str, Any]:
    return {
        "message": "The router is restarting: subscribe again with since.",
        "extensions": {"code": "SHUTTING_DOWN"},
    }


@dataclass(frozen=True, slots=True)
class _Watch:
    """What a stream watches besides its events: the heartbeat, the token's expiry, and (for a
    verified token) revocation, rechecked every ``recheck_interval`` seconds."""

    identity: SocketIdentity
    heartbeat: float
    recheck: Callable[[SocketIdentity], Awaitable[None]]
    recheck_interval: float


async def _items(subscriber: Subscriber, watch: _Watch) -> AsyncIterator[StreamItem | None]:
    """The subscriber's items, None for each heartbeat; an expired or revoked token ends it."""
    identity = watch.identity
    next_check = time.monotonic() + watch.recheck_interval
    try:
        while True:
            wait = watch.heartbeat
            expires = identity.expires_at
            if expires is not None:
                left = expires - time.time()
                if left <= 0:
                    yield StreamItem("error", [_expired()])
                    return
                wait = min(wait, left)
            if identity.verified:
                if time.monotonic() >= next_check:
                    try:
                        await watch.recheck(identity)
                    except SocketAuthError as error:
                        yield StreamItem("error", [_revoked(error.message)])
                        return
                    next_check = time.monotonic() + watch.recheck_interval
                wait = min(wait, max(next_check - time.monotonic(), 0.0))
            item = await subscriber.next_item(wait)
            yield item
            if item is not None and item.kind != "next":
                return
    finally:
        subscriber.close()


def _multipart_part(body: Any) -> bytes:
    return _PART + orjson.dumps(body) + _BOUNDARY


async def _multipart(subscriber: Subscriber, watch: _Watch) -> AsyncIterator[bytes]:
    yield _BOUNDARY
    async for item in _items(subscriber, watch):
        if item is None:
            yield _multipart_part({})
        elif item.kind == "next" and item.encoded is not None:
            yield _PART + b'{"payload":' + item.encoded + b"}" + _BOUNDARY
        elif item.kind == "next":
            yield _multipart_part({"payload": item.payload})
        elif item.kind == "error":
            yield _multipart_part({"payload": None, "errors": item.payload})
        elif item.kind == "shutdown":
            yield _multipart_part({"payload": None, "errors": [_shutdown()]})
    yield b"--\r\n"


def _event(name: str, data: Any) -> bytes:
    return b"event: " + name.encode() + b"\ndata: " + orjson.dumps(data) + b"\n\n"


async def _sse(subscriber: Subscriber, watch: _Watch) -> AsyncIterator[bytes]:
    async for item in _items(subscriber, watch):
        if item is None:
            yield b":\n\n"  # a comment keeps proxies from timing the stream out
        elif item.kind == "next" and item.encoded is not None:
            yield b"event: next\ndata: " + item.encoded + b"\n\n"
        elif item.kind == "next":
            yield _event("next", item.payload)
        elif item.kind == "error":
            yield _event("next", {"errors": item.payload})
        elif item.kind == "shutdown":
            return  # no `complete`: the client reconnects
    yield b"event: complete\ndata:\n\n"


def stream_response(
    kind: str,
    started: SupergraphResponse | Subscriber,
    identity: SocketIdentity,
    runtime: SubscriptionRuntime,
    request: Request,
) -> Response:
    """Stream a subscription (a query's answer too: one part, or one ``next`` event)."""
    watch = _Watch(
        identity,
        runtime.settings.subscription_heartbeat,
        runtime.authenticator.recheck,
        runtime.settings.ws_token_recheck_interval,
    )
    headers = {"cache-control": "no-cache", "x-accel-buffering": "no"}
    request_id = request.headers.get(runtime.settings.request_id_header)
    if request_id:
        headers[runtime.settings.request_id_header] = request_id
    if isinstance(started, SupergraphResponse):
        body = started.body()
        if kind == MULTIPART:
            content = _BOUNDARY + _multipart_part({"payload": body}) + b"--\r\n"
            return Response(content, media_type=_MULTIPART_TYPE, headers=headers)
        content = _event("next", body) + b"event: complete\ndata:\n\n"
        return Response(content, media_type="text/event-stream", headers=headers)
    if kind == MULTIPART:
        return StreamingResponse(
            _multipart(started, watch), media_type=_MULTIPART_TYPE, headers=headers
        )
    return StreamingResponse(_sse(started, watch), media_type="text/event-stream", headers=headers)
