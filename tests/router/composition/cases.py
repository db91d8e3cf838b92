"""Synthetic composition fixtures under ``fixtures/``; regenerate goldens with
``python -m tests.router.composition.cases`` (needs Node)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from router.composition import SubgraphSource

__all__ = ["FIXTURES", "Case", "all_cases", "regenerate_goldens"]

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = "apollo.supergraph.graphql"


@dataclass(frozen=True)
class Case:
    """A fixture: its subgraphs, and either the expected error codes or Apollo's supergraph."""

    name: str
    path: Path
    subgraphs: list[SubgraphSource]
    error_codes: list[str]

    @property
    def golden(self) -> Path:
        """Where @apollo/composition's supergraph for this case is kept."""
        return self.path / GOLDEN


def _load(path: Path) -> Case:
    subgraphs = [
        SubgraphSource(name=f.stem, url=f"http://{f.stem}.local/graphql", sdl=f.read_text())
        for f in sorted(path.glob("*.graphql"))
        if f.name != GOLDEN
    ]
    errors = path / "errors.txt"
    codes = errors.read_text().split() if errors.exists() else []
    return Case(path.name, path, subgraphs, codes)


def all_cases() -> list[Case]:
    """Every fixture, sorted by name."""
    return [_load(p) for p in sorted(FIXTURES.iterdir()) if p.is_dir()]


def regenerate_goldens() -> list[Path]:
    """Rewrite every success fixture's golden with @apollo/composition (needs Node and npm)."""
    from tests.node_peer import ensure_node_modules, run_node_script

    ensure_node_modules()
    written = []
    for case in all_cases():
        if case.error_codes:
            continue
        payload = {
            "subgraphs": [{"name": s.name, "url": s.url, "sdl": s.sdl} for s in case.subgraphs]
        }
        result = run_node_script("compose.cjs", payload)
        if result["supergraph"] is None:
            raise RuntimeError(f"{case.name} does not compose in Apollo: {result['errors']}")
        case.golden.write_text(result["supergraph"] + "\n")
        written.append(case.golden)
    return written


if __name__ == "__main__":
    for path in regenerate_goldens():
        print(f"wrote {path}")
