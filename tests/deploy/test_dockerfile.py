"""The Dockerfile: hadolint (its pip-packaged binary), and what the image promises: several
stages, no compilers in the final one, a non-root user, a healthcheck."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path


def stages(dockerfile: str) -> dict[str, str]:
    parts = re.split(r"^FROM\s+\S+\s+AS\s+(\S+)\s*$", dockerfile, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_hadolint_passes(repo_root: Path) -> None:
    hadolint = Path(sys.executable).with_name("hadolint")
    result = subprocess.run(
        [str(hadolint), str(repo_root / "Dockerfile")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_final_image_is_slim_non_root_and_checked(repo_root: Path) -> None:
    dockerfile = (repo_root / "Dockerfile").read_text()
    found = stages(dockerfile)
    assert list(found) == ["build", "runtime", "lambda", "service"]
    assert re.search(r"^FROM python:3\.\d+-slim", dockerfile, flags=re.MULTILINE)
    runtime = found["runtime"]
    assert "build-essential" in found["build"]
    assert not re.search(r"build-essential|gcc|cmake|pip install", runtime)
    assert re.search(r"^USER 10001", runtime, flags=re.MULTILINE)
    assert "HEALTHCHECK" in runtime
    assert "COPY --from=build /opt/venv /opt/venv" in runtime
    assert found["service"].strip() == ""  # the default target is the runtime image as it is
