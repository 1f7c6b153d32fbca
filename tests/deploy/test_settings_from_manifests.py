"""The environment compose and Kubernetes give each component makes valid production settings.

Each component's settings class is built from exactly what its container would see: for
compose, .env.example (secrets filled in) plus the interpolated `environment`; for
Kubernetes, the ConfigMap plus the Secret example.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import yaml
from sqlalchemy.engine import make_url

from analytics.settings import AnalyticsSettings
from contacts.settings import ContactsSettings
from gateway.settings import GatewaySettings
from survey.settings import SurveySettings
from tests.deploy.manifests import (
    COMPOSE_DIR,
    K8S_DIR,
    env_example_values,
    interpolate,
    load_documents,
)
from treue.settings import ServiceSettings

pytestmark = pytest.mark.timeout(60)

SETTINGS = {
    "contacts": ContactsSettings,
    "survey": SurveySettings,
    "analytics": AnalyticsSettings,
    "gateway": GatewaySettings,
}
# What an operator puts into .env for the secrets .env.example leaves empty.
FILLED_IN = {
    "POSTGRES_PASSWORD": "s3cret-pg",
    "TREUE_INTERNAL_TOKEN_SECRET": "internal-token-secret-of-this-host",
    "TREUE_GATEWAY_ACCESS_TOKEN_SECRET": "access-token-secret-of-this-host",
    "TREUE_ADMIN_PASSWORD": "first-admin-password",
    "KAFKA_CLUSTER_ID": "MkU3OEVBNTcwNTJENDM2Qg",
}


def only(environment: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace the test process' own TREUE_ variables by the container's environment."""
    for name in list(os.environ):
        if name.startswith("TREUE_"):
            monkeypatch.delenv(name)
    for name, value in environment.items():
        monkeypatch.setenv(name, str(value))


def compose_environment(name: str) -> dict[str, str]:
    dot_env = {**env_example_values(), **FILLED_IN}
    compose = yaml_interpolated(dot_env)
    service = compose["services"][name]
    assert service["env_file"] == ".env"
    return {**dot_env, **service["environment"]}


def yaml_interpolated(variables: dict[str, str]) -> dict[str, Any]:
    text = interpolate((COMPOSE_DIR / "compose.yaml").read_text(), variables)
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def kubernetes_environment() -> dict[str, str]:
    by_kind = {
        doc["kind"]: doc
        for path in (K8S_DIR / "configmap.yaml", K8S_DIR / "secret.example.yaml")
        for doc in load_documents(path)
    }
    return {**by_kind["ConfigMap"]["data"], **by_kind["Secret"]["stringData"]}


def check(settings: ServiceSettings, name: str) -> None:
    assert settings.env == "production"
    url = make_url(settings.database_url)
    assert url.drivername == "postgresql+asyncpg"
    assert url.database == name
    assert url.password not in (None, "", "treue")


@pytest.mark.parametrize("name", list(SETTINGS))
def test_compose_gives_each_component_valid_production_settings(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    only(compose_environment(name), monkeypatch)
    settings = SETTINGS[name]()
    check(settings, name)
    assert make_url(settings.database_url).host == "postgres"
    assert make_url(settings.database_url).password == FILLED_IN["POSTGRES_PASSWORD"]
    assert settings.kafka_bootstrap_servers == "kafka:9092"
    assert settings.internal_token_secret == FILLED_IN["TREUE_INTERNAL_TOKEN_SECRET"]


@pytest.mark.parametrize("name", list(SETTINGS))
def test_kubernetes_gives_each_component_valid_production_settings(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    only(kubernetes_environment(), monkeypatch)
    settings = SETTINGS[name]()
    check(settings, name)
    assert make_url(settings.database_url).query["ssl"] == "require"
    assert settings.database_pool_size == 5


def test_compose_refuses_to_start_without_the_secrets() -> None:
    with pytest.raises(ValueError, match="POSTGRES_PASSWORD"):
        yaml_interpolated(env_example_values())


def test_production_settings_refuse_a_missing_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    environment = kubernetes_environment()
    del environment["TREUE_INTERNAL_TOKEN_SECRET"]
    only(environment, monkeypatch)
    with pytest.raises(ValueError, match="TREUE_INTERNAL_TOKEN_SECRET"):
        ContactsSettings()


def test_the_gateway_finds_the_services_by_their_names(monkeypatch: pytest.MonkeyPatch) -> None:
    only(compose_environment("gateway"), monkeypatch)
    compose_upstreams = GatewaySettings().upstreams()
    only(kubernetes_environment(), monkeypatch)
    assert (
        GatewaySettings().upstreams()
        == compose_upstreams
        == {
            "contacts": "http://contacts:8000",
            "survey": "http://survey:8000",
            "analytics": "http://analytics:8000",
        }
    )
