"""Reading the production manifests under deploy/ (shared by the manifest tests)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
COMPOSE_DIR = DEPLOY / "compose"
K8S_DIR = DEPLOY / "k8s"

# Each long-running component: the module uvicorn loads and the folder holding alembic.ini.
COMPONENTS = {
    "contacts": ("contacts", "contacts-service"),
    "survey": ("survey", "survey-service"),
    "analytics": ("analytics", "analytics-service"),
    "gateway": ("gateway", "gateway"),
}


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def load_documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]


def uvicorn_module(command: list[str]) -> str:
    """`uvicorn contacts.main:create_app --factory …` -> "contacts"."""
    assert command[:1] == ["uvicorn"], command
    assert "--factory" in command, command
    target = command[1]
    assert target.endswith(".main:create_app"), target
    return target.removesuffix(".main:create_app")


def alembic_folder(command: list[str]) -> str:
    """`alembic -c contacts-service/alembic.ini upgrade head` -> "contacts-service"."""
    assert command[0] == "alembic", command
    assert command[-2:] == ["upgrade", "head"], command
    ini = Path(command[command.index("-c") + 1])
    assert ini.name == "alembic.ini", command
    return str(ini.parent)


def env_example_names() -> set[str]:
    """Variables .env.example sets or shows commented out with their default."""
    text = (COMPOSE_DIR / ".env.example").read_text()
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_<>]*)=", text, flags=re.MULTILINE))


def env_example_values() -> dict[str, str]:
    """The variables .env.example sets (uncommented lines), as compose's env_file reads them."""
    lines = (COMPOSE_DIR / ".env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


INTERPOLATION = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:-|:\?)([^}]*))?\}")


def interpolate(text: str, variables: dict[str, str]) -> str:
    """Compose's interpolation of ${NAME}, ${NAME:-default}, ${NAME:?error} and $$."""

    def substitute(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, operator, argument = match.groups()
        value = variables.get(name, "")
        if operator == ":-" and not value:
            return str(argument)
        if operator == ":?" and not value:
            raise ValueError(f"{name}: {argument}")
        return value

    return INTERPOLATION.sub(substitute, text)
