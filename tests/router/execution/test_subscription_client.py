"""The router as a graphql-transport-ws client of a subgraph: events, refusals, lost sockets."""

from __future__ import annotations

import asyncio

import pytest

from router.execution.subscription_client import (
    UpstreamClosed,
    UpstreamRefused,
    subscribe_upstream,
    websocket_url,
)
from tests.router.live import LiveSubgraph, token, wait_until
from tests.router.loopback import free_port, serve

QUERY = "subscription { appointmentChanged { position appointmentId } }"


def test_websocket_urls() -> None:
    assert websocket_url("http://clinical:4002/graphql") == "ws://clinical:4002/graphql"
    assert websocket_url("https://clinical/graphql") == "wss://clinical/graphql"


async def test_events_then_a_refusal_and_a_lost_socket() -> None:
    live = LiveSubgraph()
    async with serve(live.app()) as base:
        url = f"{base}/graphql"
        init = {"authorization": f"Bearer {token()}"}
        stream = subscribe_upstream(
            "live", url, {"query": QUERY}, init_payload=init, headers={}, open_timeout=5
        )
        first = asyncio.ensure_future(anext(stream))
        await wait_until(lambda: live.queues)
        live.publish("a1")
        assert (await first)["data"]["appointmentChanged"] == {"position": 1, "appointmentId": "a1"}
        await live.drop_all()
        with pytest.raises(UpstreamClosed) as lost:
            await anext(stream)
        assert lost.value.retryable

        refused = {"authorization": f"Bearer {token('refused')}"}
        with pytest.raises(UpstreamClosed) as forbidden:
            async for _ in subscribe_upstream(
                "live", url, {"query": QUERY}, init_payload=refused, headers={}, open_timeout=5
            ):
                pass
        assert not forbidden.value.retryable  # 4403: subscribing again cannot help

        with pytest.raises(UpstreamRefused) as invalid:
            async for _ in subscribe_upstream(
                "live",
                url,
                {"query": "subscription { nope }"},
                init_payload=init,
                headers={},
                open_timeout=5,
            ):
                pass
        assert invalid.value.errors[0]["message"]

    with pytest.raises(UpstreamClosed) as unreachable:
        async for _ in subscribe_upstream(
            "live",
            f"http://127.0.0.1:{free_port()}/graphql",
            {"query": QUERY},
            init_payload={},
            headers={},
            open_timeout=2,
        ):
            pass
    assert unreachable.value.retryable
