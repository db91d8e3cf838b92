"""Router benchmark: what JWT authentication and directive authorization cost on the hot path.

Run: ``python -m tests.benchmarks router_auth`` (needs Node.js and npm, like ``router``). The
benchmark's four Node subgraphs are composed as for ``bench_router``; then every field of every
object type gets ``@requiresScopes(scopes: [["bench:read"], ["bench:admin"]])`` and every entity
type ``@authenticated``, so each request meets a requirement at every field. Two of our routers
serve that supergraph on the same subgraphs: one with JWT authentication (a JWK Set on loopback,
an EdDSA access token holding ``bench:read`` on every request) and therefore authorization on,
one with neither. @apollo/gateway runs the plain supergraph (it enforces none of this) as the
reference. The three are measured alternately with the same load; it prints throughput, p50/p99
and CPU per request, the loss with auth on, and both routers' ratio to Apollo.

Not measured: auth's revocation list (one Redis GET per request when ``REDIS_URL`` is set).
Knobs: those of ``bench_router`` (``BENCH_ROUTER_SECONDS``, ``_ROUNDS``, ``_CONCURRENCY``,
``_OPERATIONS``; default here: ``nested``).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from graphql import (
    ConstArgumentNode,
    ConstDirectiveNode,
    ConstListValueNode,
    DocumentNode,
    NameNode,
    ObjectTypeDefinitionNode,
    SchemaDefinitionNode,
    StringValueNode,
    parse,
    print_ast,
)

from subgraphs.stack.ports import free_port
from tests.benchmarks.bench_router import OPERATIONS, Settings, _combine
from tests.benchmarks.load import Figures, load_generator
from tests.benchmarks.router_peers import (
    REPO,
    child_process,
    cpu_seconds,
    node_missing,
    start_peers,
)
from tests.support.tokens import AUDIENCE, ISSUER, JWKS, mint

__all__ = ["main", "with_directives"]

_LINKS = ("authenticated", "requiresScopes")
_DEFINITIONS = """
directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
directive @requiresScopes(scopes: [[requiresScopes__Scope!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
scalar requiresScopes__Scope
"""


def _directive(name: str, **arguments: object) -> ConstDirectiveNode:
    def value(raw: object) -> Any:
        if isinstance(raw, list):
            return ConstListValueNode(values=tuple(value(v) for v in raw))
        return StringValueNode(value=str(raw))

    return ConstDirectiveNode(
        name=NameNode(value=name),
        arguments=tuple(
            ConstArgumentNode(name=NameNode(value=k), value=value(v)) for k, v in arguments.items()
        ),
    )


def with_directives(sdl: str) -> str:
    """``sdl`` with a scope requirement on every object field and @authenticated on entities."""
    document = parse(sdl)
    scopes = _directive("requiresScopes", scopes=[["bench:read"], ["bench:admin"]])
    definitions = []
    for definition in document.definitions:
        node = definition
        if isinstance(node, SchemaDefinitionNode):
            links = tuple(
                _directive(
                    "link", url=f"https://specs.apollo.dev/{spec}/v0.1", **{"for": "SECURITY"}
                )
                for spec in _LINKS
            )
            node = replace(node, directives=(*(node.directives or ()), *links))
        elif isinstance(node, ObjectTypeDefinitionNode) and not node.name.value.startswith(
            ("join__", "link__")
        ):
            entity = any(
                d.name.value == "join__type"
                and any(a.name.value == "key" for a in d.arguments or ())
                for d in node.directives or ()
            )
            fields = tuple(
                replace(f, directives=(*(f.directives or ()), scopes)) for f in node.fields or ()
            )
            extra = (_directive("authenticated"),) if entity else ()
            node = replace(node, fields=fields, directives=(*(node.directives or ()), *extra))
        definitions.append(node)
    printed = print_ast(DocumentNode(definitions=tuple(definitions)))
    # link__Purpose is an enum: print the argument as one
    return printed.replace('for: "SECURITY"', "for: SECURITY") + _DEFINITIONS


@contextlib.contextmanager
def _jwks_server() -> Iterator[str]:
    body = json.dumps(JWKS).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"
    finally:
        server.shutdown()


def _router(
    stack: contextlib.ExitStack, name: str, supergraph: Path, workdir: Path, env: dict[str, str]
) -> tuple[str, int]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/graphql"
    process = stack.enter_context(
        child_process(
            name,
            [sys.executable, "-m", "router", f"--supergraph={supergraph}", f"--port={port}"],
            ready_url=url,
            log=workdir / f"{name.replace(' ', '-')}.log",
            cpus=None,
            env={"PYTHONPATH": str(REPO), **env},
            cwd=REPO,
        )
    )
    return url, process.pid


def main() -> None:
    missing = node_missing()
    if missing:
        print(f"router auth benchmark skipped: {missing}")
        return
    settings = Settings.from_environment()
    if "BENCH_ROUTER_OPERATIONS" not in os.environ:
        settings = replace(settings, operations=("nested",))
    load = load_generator()
    token = mint(scopes=["bench:read"], lifetime=3600)
    bearer = {"authorization": f"Bearer {token}"}
    with (
        tempfile.TemporaryDirectory(prefix="bench-router-auth-") as tmp,
        start_peers(Path(tmp)) as peers,
        _jwks_server() as jwks_url,
        contextlib.ExitStack() as stack,
    ):
        workdir = Path(tmp)
        secured = workdir / "secured.graphql"
        secured.write_text(with_directives(peers.supergraph.read_text()), encoding="utf-8")
        auth_env = {
            "ROUTER_JWKS_URL": jwks_url,
            "ROUTER_JWT_ISSUER": ISSUER,
            "ROUTER_JWT_AUDIENCE": AUDIENCE,
            "REDIS_URL": "",
        }
        on_url, on_pid = _router(stack, "router auth on", secured, workdir, auth_env)
        off_url, off_pid = _router(
            stack,
            "router auth off",
            secured,
            workdir,
            {"ROUTER_JWKS_URL": "", "HEALTHGRAPH_JWKS_URL": ""},
        )
        targets = {
            "auth on": (on_url, on_pid, bearer),
            "auth off": (off_url, off_pid, {}),
            "apollo": (peers.apollo, peers.pids["apollo"], {}),
        }
        print(
            f"load: {load.name}, {settings.concurrency} connections, {settings.rounds} alternating"
            f" rounds of {settings.seconds:g}s per gateway"
        )
        print(
            f"{'operation':<9} {'gateway':<9} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms/req':>10} {'errors':>6}"
        )
        for op in (o for o in OPERATIONS if o.name in settings.operations):
            runs: dict[str, list[Figures]] = {who: [] for who in targets}
            cpu = dict.fromkeys(targets, 0.0)
            for url, _, headers in targets.values():
                load.run(
                    url, op.body, concurrency=settings.concurrency, seconds=1.0, headers=headers
                )
            for round_index in range(settings.rounds):
                order = list(targets) if round_index % 2 == 0 else list(reversed(targets))
                for who in order:
                    url, pid, headers = targets[who]
                    before = cpu_seconds(pid)
                    runs[who].append(
                        load.run(
                            url,
                            op.body,
                            concurrency=settings.concurrency,
                            seconds=settings.seconds,
                            headers=headers,
                        )
                    )
                    after = cpu_seconds(pid)
                    if before is not None and after is not None:
                        cpu[who] += after - before
            figures = {who: _combine(r) for who, r in runs.items()}
            for who, f in figures.items():
                per_request = cpu[who] / f.requests * 1000 if f.requests else float("nan")
                print(
                    f"{op.name:<9} {who:<9} {f.throughput:>9.0f} {f.p50_ms:>8.2f} {f.p99_ms:>8.2f} {per_request:>10.3f} {f.errors:>6}"
                )
            on, off, apollo = (figures[w].throughput for w in ("auth on", "auth off", "apollo"))
            loss = (1 - on / off) * 100 if off else float("nan")
            verdict = "met" if loss < 10 else "NOT met"
            print(
                f"{op.name:<9} throughput loss with auth on: {loss:.1f}% (target < 10%: {verdict})"
            )
            print(
                f"{op.name:<9} ratio to Apollo: auth off {off / apollo:.2f}x, auth on {on / apollo:.2f}x"
            )


if __name__ == "__main__":
    main()
