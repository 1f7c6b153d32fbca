"""deploy/compose/compose.yaml: valid by the Compose Specification's schema, and wired right.

No container engine is available here, so the file is checked by reading it: the vendored
schema (deploy/compose/schema/SOURCE.md) for its shape, these tests for what it must mean.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import jsonschema
import pytest
from pydantic import AliasChoices

from analytics.settings import AnalyticsSettings
from contacts.settings import ContactsSettings
from gateway.settings import GatewaySettings
from survey.settings import SurveySettings
from tests.deploy.manifests import (
    COMPONENTS,
    COMPOSE_DIR,
    ROOT,
    alembic_folder,
    env_example_names,
    env_example_values,
    load_yaml,
    uvicorn_module,
)
from treue.settings import ServiceSettings

pytestmark = pytest.mark.timeout(60)

TOPICS = ("contacts", "surveys", "analytics")
SETTINGS_CLASSES = (ContactsSettings, SurveySettings, AnalyticsSettings, GatewaySettings)


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads((COMPOSE_DIR / "schema" / "compose-spec.json").read_text())
    # The file names draft 2019-09 with a trailing "#" that jsonschema does not look up.
    assert schema["$schema"].startswith("http://json-schema.org/draft/2019-09/schema")
    jsonschema.Draft201909Validator.check_schema(schema)
    return jsonschema.Draft201909Validator(schema)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = load_yaml(COMPOSE_DIR / "compose.yaml")
    return loaded


def errors(validator: jsonschema.protocols.Validator, document: dict[str, Any]) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(document)
    ]


def test_compose_file_is_valid_by_the_compose_specification(
    validator: jsonschema.protocols.Validator, compose: dict[str, Any]
) -> None:
    assert errors(validator, compose) == []


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("services", "contacts", "depends_on", "contacts-migrate", "condition"), "service_done"),
        (("services", "gateway", "healthcheck", "intervall"), "15s"),
        (("services", "postgres", "volumes"), "postgres-data:/var/lib/postgresql/data"),
        (("services", "kafka", "restart_policy"), "always"),
    ],
)
def test_the_schema_rejects_a_broken_compose_file(
    validator: jsonschema.protocols.Validator,
    compose: dict[str, Any],
    path: tuple[str, ...],
    value: str,
) -> None:
    broken = copy.deepcopy(compose)
    target = broken
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert errors(validator, broken) != []


def test_only_the_gateway_publishes_a_port(compose: dict[str, Any]) -> None:
    published = {name for name, service in compose["services"].items() if "ports" in service}
    assert published == {"gateway"}


def test_each_component_runs_its_module_after_its_migration(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name, (module, folder) in COMPONENTS.items():
        service = services[name]
        assert uvicorn_module(service["command"]) == module
        assert (ROOT / folder / "src" / module / "main.py").exists()
        migration = services[f"{name}-migrate"]
        assert alembic_folder(migration["command"]) == folder
        assert (ROOT / folder / "alembic.ini").exists()
        assert migration["restart"] == "no"
        assert migration["depends_on"]["postgres"]["condition"] == "service_healthy"
        conditions = {dep: spec["condition"] for dep, spec in service["depends_on"].items()}
        assert conditions[f"{name}-migrate"] == "service_completed_successfully"
        assert conditions["kafka-topics"] == "service_completed_successfully"
        assert conditions["postgres"] == "service_healthy"


def test_each_component_is_restarted_and_health_checked_on_readiness(
    compose: dict[str, Any],
) -> None:
    for name in COMPONENTS:
        service = compose["services"][name]
        assert service["restart"] == "unless-stopped"
        assert any("/health/ready" in part for part in service["healthcheck"]["test"])
    gateway_waits_for = compose["services"]["gateway"]["depends_on"]
    for name in ("contacts", "survey", "analytics"):
        assert gateway_waits_for[name]["condition"] == "service_healthy"


def test_each_component_reaches_its_own_database_and_the_others_by_service_name(
    compose: dict[str, Any],
) -> None:
    environment = compose["services"]["gateway"]["environment"]
    init = (COMPOSE_DIR / "postgres-init" / "10-create-databases.sh").read_text()
    created = re.search(r"for db in ([a-z ]+); do", init)
    assert created is not None
    for name in COMPONENTS:
        url = environment[f"TREUE_{name.upper()}_DATABASE_URL"]
        assert url.startswith("postgresql+asyncpg://")
        assert url.endswith(f"@postgres:5432/{name}")
        assert name in created.group(1).split()
    for name in ("contacts", "survey", "analytics"):
        assert environment[f"TREUE_GATEWAY_{name.upper()}_URL"] == f"http://{name}:8000"
    assert environment["TREUE_KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
    assert environment["TREUE_ENV"] == "production"


def test_postgres_and_kafka_keep_their_data_in_volumes(compose: dict[str, Any]) -> None:
    volumes = compose["volumes"]
    postgres = compose["services"]["postgres"]["volumes"]
    kafka = compose["services"]["kafka"]
    assert "postgres-data:/var/lib/postgresql/data" in postgres
    assert "kafka-data:/var/lib/kafka/data" in kafka["volumes"]
    assert kafka["environment"]["KAFKA_LOG_DIRS"] == "/var/lib/kafka/data"
    assert {"postgres-data", "kafka-data"} <= set(volumes)


def test_kafka_runs_in_kraft_mode_and_the_topics_get_12_partitions(
    compose: dict[str, Any],
) -> None:
    kafka = compose["services"]["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    assert kafka["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert kafka["environment"]["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    topics = compose["services"]["kafka-topics"]
    assert topics["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert topics["environment"]["PARTITIONS"] == "${TREUE_KAFKA_PARTITIONS:-12}"
    script = " ".join(topics["command"])
    assert f"for owner in {' '.join(TOPICS)}; do" in script
    assert "--create --if-not-exists" in script


def test_every_variable_compose_interpolates_is_in_the_env_example() -> None:
    text = (COMPOSE_DIR / "compose.yaml").read_text()
    # ${NAME}, ${NAME:-default}, ${NAME:?error}; $${NAME} is left for the container's shell.
    used = set(re.findall(r"(?<!\$)\$\{([A-Z][A-Z0-9_]*)", text))
    assert used, "compose.yaml interpolates nothing: the pattern is wrong"
    assert used - env_example_names() == set()


def test_the_env_example_commits_no_secret() -> None:
    values = env_example_values()
    for name in (
        "POSTGRES_PASSWORD",
        "TREUE_INTERNAL_TOKEN_SECRET",
        "TREUE_GATEWAY_ACCESS_TOKEN_SECRET",
        "TREUE_ADMIN_PASSWORD",
        "KAFKA_CLUSTER_ID",
    ):
        assert values[name] == "", name
    assert "TREUE_SURVEY_SMTP_PASSWORD" not in values
    assert ".env" in (COMPOSE_DIR / ".gitignore").read_text().splitlines()


@pytest.mark.parametrize("settings_class", SETTINGS_CLASSES, ids=lambda c: c.__name__)
def test_the_env_example_shows_every_setting(
    compose: dict[str, Any], settings_class: type[ServiceSettings]
) -> None:
    shown = env_example_names() | set(compose["services"]["gateway"]["environment"])
    prefix = settings_class.model_config.get("env_prefix", "")
    missing = []
    for name, field in settings_class.model_fields.items():
        alias = field.validation_alias
        if isinstance(alias, AliasChoices):
            accepted = {str(choice) for choice in alias.choices}
        elif isinstance(alias, str):
            accepted = {alias}
        else:
            accepted = {f"{prefix}{name.upper()}"}
            if name in ServiceSettings.model_fields:
                accepted.add(f"TREUE_<SVC>_{name.upper()}")
        if not accepted & shown:
            missing.append(name)
    assert missing == []
