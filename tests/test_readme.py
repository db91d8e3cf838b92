"""The README's facts that code also states stay in step with the code."""

from __future__ import annotations

import re
from pathlib import Path

from subgraphs.common.tokens.scopes import SCOPES_BY_ROLE


def test_quick_start_has_exactly_the_two_commands(repo_root: Path) -> None:
    readme = (repo_root / "README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", quick_start, re.DOTALL)
    assert block is not None
    assert block.group(1).split("\n")[:-1] == ["make up", "make test"]


def test_role_scope_table_matches_the_code(repo_root: Path) -> None:
    readme = (repo_root / "README.md").read_text()
    table = {
        match.group(1): set(re.findall(r"`([^`]+)`", match.group(2)))
        for match in re.finditer(
            r"^\| (ADMIN|DOCTOR|STAFF|PATIENT) \| (.*) \|$", readme, re.MULTILINE
        )
    }
    assert table == {
        role.value: {scope.value for scope in scopes} for role, scopes in SCOPES_BY_ROLE.items()
    }
