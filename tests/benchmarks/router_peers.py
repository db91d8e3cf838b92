"""The processes of the router benchmark: the Node subgraphs, our router and @apollo/gateway.

Each runs as a child that stops with the benchmark: terminated on exit, and (Linux) sent SIGTERM
by the kernel should the benchmark itself be killed (``PR_SET_PDEATHSIG``); the Node scripts also
exit when their stdin pipe closes.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

from subgraphs.stack.ports import free_port

__all__ = [
    "NODE_DIR",
    "Peers",
    "apollo_gateway",
    "benchmark_subgraphs",
    "check_answers",
    "child_process",
    "child_setup",
    "cpu_seconds",
    "ensure_node_modules",
    "node_missing",
    "our_router",
    "print_benchmark",
    "start_peers",
    "tree_cpu_seconds",
]

NODE_DIR = Path(__file__).resolve().parent / "node"
REPO = Path(__file__).resolve().parents[2]
_PR_SET_PDEATHSIG = 1
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform == "linux" else None
_READY_QUERY = b'{"query":"{ __typename }"}'


def node_missing() -> str | None:
    """Why the Node peers cannot run here, or None when they can."""
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    return None


def ensure_node_modules(directory: Path = NODE_DIR, package: str = "@apollo/gateway") -> None:
    """``npm install`` in ``directory`` (``tests/benchmarks/node``) once, when ``package`` is
    missing from its node_modules."""
    if (directory / "node_modules" / package).is_dir():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed")
    subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=directory,
        check=True,
        timeout=600,
    )


def child_setup(cpus: frozenset[int] | None) -> Callable[[], None]:
    """A ``preexec_fn``: die with the parent, and run on ``cpus`` when given."""

    def setup() -> None:
        if _LIBC is not None:
            _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if cpus:
            os.sched_setaffinity(0, cpus)

    return setup


@contextlib.contextmanager
def child_process(
    name: str,
    command: list[str],
    *,
    ready_url: str,
    log: Path,
    cpus: frozenset[int] | None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
            cwd=cwd,
            preexec_fn=child_setup(cpus),  # noqa: PLW1509 (only a prctl/affinity syscall runs before exec)
        )
    try:
        _wait_ready(name, process, ready_url, log)
        yield process
    finally:
        if process.stdin is not None:
            process.stdin.close()
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_ready(name: str, process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    headers = {"content-type": "application/json"}
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise RuntimeError(f"{name} exited with {process.returncode}:\n{tail}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.post(url, content=_READY_QUERY, headers=headers, timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"{name} did not become ready at {url} within 60 s")


def cpu_seconds(pid: int) -> float | None:
    """User plus system CPU time a process (all its threads) has used, or None off Linux."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    except OSError:
        return None
    # fields after the command: state is field 3, utime and stime are fields 14 and 15
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float | None:
    """``cpu_seconds`` of a process and of its children (a ``--workers`` supervisor's workers)."""
    own = cpu_seconds(pid)
    if own is None:
        return None
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if parent == pid:
            own += cpu_seconds(int(entry.name)) or 0.0
    return own


@contextlib.contextmanager
def our_router(
    supergraph: Path,
    log: Path,
    *,
    cpus: frozenset[int] | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``python -m router`` serving ``supergraph`` (``ROUTER_*`` in ``env``): its URL and process.

    ``BENCH_ROUTER_PYTHONPATH`` measures the router of another checkout (say, main's) instead;
    ``BENCH_ROUTER_PYTHON_ARGS`` goes before ``-m router`` (e.g. ``-m cProfile -o FILE``).
    """
    port = free_port()
    source = os.environ.get("BENCH_ROUTER_PYTHONPATH") or str(REPO)
    router_env = {
        "PYTHONPATH": os.pathsep.join(filter(None, [source, os.environ.get("PYTHONPATH")])),
        **(env or {}),
    }
    url = f"http://127.0.0.1:{port}/graphql"
    with child_process(
        "our router",
        [
            sys.executable,
            *os.environ.get("BENCH_ROUTER_PYTHON_ARGS", "").split(),
            "-m",
            "router",
            f"--supergraph={supergraph}",
            f"--port={port}",
        ],
        ready_url=url,
        log=log,
        cpus=cpus,
        env=router_env,
        cwd=Path(source),  # `python -m` puts the working directory first on sys.path
    ) as process:
        yield url, process


@contextlib.contextmanager
def apollo_gateway(
    supergraph: Path, log: Path, *, cpus: frozenset[int] | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """@apollo/gateway (``gateway.mjs``) serving ``supergraph``: its URL and process."""
    ensure_node_modules()
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with child_process(
        "@apollo/gateway",
        [
            shutil.which("node") or "node",
            "gateway.mjs",
            f"--port={port}",
            f"--supergraph={supergraph}",
        ],
        ready_url=url,
        log=log,
        cpus=cpus,
        env={"NODE_ENV": "production"},
        cwd=NODE_DIR,
    ) as process:
        yield url, process


@dataclass(frozen=True, slots=True)
class Peers:
    """Where everything listens, and the process ids behind each URL."""

    supergraph: Path
    subgraphs: str  # base URL; each subgraph at /<name>
    router: str
    apollo: str
    pids: dict[str, int]  # "subgraphs", "ours", "apollo"


@contextlib.contextmanager
def benchmark_subgraphs(
    workdir: Path, *, cpus: frozenset[int] | None = None
) -> Iterator[tuple[str, Path, subprocess.Popen[bytes]]]:
    """The four Node subgraphs, each at ``<base>/<name>`` (``GET <base>/stats`` counts the
    requests they answered), and the supergraph they composed: base URL, supergraph, process."""
    ensure_node_modules()
    node = shutil.which("node") or "node"
    supergraph = workdir / "supergraph.graphql"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with child_process(
        "the benchmark subgraphs",
        [node, "subgraphs.mjs", f"--port={port}", f"--supergraph={supergraph}"],
        ready_url=f"{base}/products",
        log=workdir / "subgraphs.log",
        cpus=cpus,
        cwd=NODE_DIR,
    ) as process:
        yield base, supergraph, process


def print_benchmark(name: str, lines: Callable[[], Iterable[str]]) -> None:
    """Print what ``lines()`` measured, or why a benchmark needing Node cannot run here."""
    missing = node_missing()
    if missing:
        print(f"{name} benchmark skipped: {missing} (it runs @apollo/gateway as the reference)")
        return
    for line in lines():
        print(line, flush=True)


def check_answers(body: bytes, targets: Mapping[str, str]) -> None:
    """Every target answers ``body`` with the same data and no error."""
    answers = {}
    for who, url in targets.items():
        response = httpx.post(
            url, content=body, headers={"content-type": "application/json"}, timeout=30
        )
        answer = response.json()
        if response.status_code != 200 or answer.get("errors") or not answer.get("data"):
            raise RuntimeError(f"{who} answered {response.status_code}: {answer}")
        answers[who] = answer["data"]
    first = next(iter(answers.values()))
    if any(data != first for data in answers.values()):
        raise RuntimeError(f"the answers differ: {answers}")


@contextlib.contextmanager
def start_peers(
    workdir: Path,
    *,
    gateway_cpus: frozenset[int] | None = None,
    other_cpus: frozenset[int] | None = None,
) -> Iterator[Peers]:
    """Start the subgraphs (composing the supergraph), our router and Apollo Gateway."""
    with contextlib.ExitStack() as stack:
        base, supergraph, subgraphs = stack.enter_context(
            benchmark_subgraphs(workdir, cpus=other_cpus)
        )
        router, ours = stack.enter_context(
            our_router(supergraph, workdir / "router.log", cpus=gateway_cpus)
        )
        apollo, apollo_process = stack.enter_context(
            apollo_gateway(supergraph, workdir / "apollo.log", cpus=gateway_cpus)
        )
        yield Peers(
            supergraph=supergraph,
            subgraphs=base,
            router=router,
            apollo=apollo,
            pids={"subgraphs": subgraphs.pid, "ours": ours.pid, "apollo": apollo_process.pid},
        )
