"""graphql-transport-ws messages and close codes (https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md)."""

from __future__ import annotations

from enum import IntEnum

__all__ = ["SUBPROTOCOL", "CloseCode", "MessageType"]

SUBPROTOCOL = "graphql-transport-ws"


class MessageType:
    """The ``type`` of each protocol message."""

    CONNECTION_INIT = "connection_init"
    CONNECTION_ACK = "connection_ack"
    PING = "ping"
    PONG = "pong"
    SUBSCRIBE = "subscribe"
    NEXT = "next"
    ERROR = "error"
    COMPLETE = "complete"


class CloseCode(IntEnum):
    """WebSocket close codes: the protocol's, and the standard ones we use."""

    NORMAL = 1000
    GOING_AWAY = 1001
    MESSAGE_TOO_BIG = 1009
    INTERNAL_ERROR = 1011
    SERVICE_RESTART = 1012  # graceful shutdown: clients reconnect (graphql-ws retries on it)
    TRY_AGAIN_LATER = 1013
    BAD_REQUEST = 4400
    UNAUTHORIZED = 4401
    FORBIDDEN = 4403
    SUBPROTOCOL_NOT_ACCEPTABLE = 4406
    CONNECTION_INIT_TIMEOUT = 4408
    SUBSCRIBER_ALREADY_EXISTS = 4409
    TOO_MANY_INIT_REQUESTS = 4429
