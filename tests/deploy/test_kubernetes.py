"""deploy/k8s/: valid Kubernetes objects (offline, by the API's JSON schemas), and wired right.

kubernetes-validate ships the JSON schemas of every Kubernetes release; strict mode also
rejects fields the API does not know, which the API server would silently drop.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest

from tests.deploy.manifests import (
    COMPONENTS,
    K8S_DIR,
    ROOT,
    alembic_folder,
    load_documents,
    load_yaml,
    uvicorn_module,
)

pytestmark = pytest.mark.timeout(120)

# The oldest release the manifests target and the newest the schemas know.
KUBERNETES_VERSIONS = ("1.30", kubernetes_validate.latest_version())
KUSTOMIZATION = K8S_DIR / "kustomization.yaml"
MANIFESTS = sorted(path for path in K8S_DIR.glob("*.yaml") if path != KUSTOMIZATION)
# Postgres' default; each service has a database server of its own.
MAX_CONNECTIONS = 100


def every_object() -> list[dict[str, Any]]:
    return [doc for path in MANIFESTS for doc in load_documents(path)]


def objects(kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for doc in every_object() if doc["kind"] == kind}


def label_id(path: Path) -> str:
    return path.name


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("path", MANIFESTS, ids=label_id)
def test_every_object_is_valid_by_the_kubernetes_schemas(path: Path, version: str) -> None:
    documents = load_documents(path)
    assert documents, f"{path.name} holds no object"
    for document in documents:
        kubernetes_validate.validate(document, version, strict=True)


@pytest.mark.parametrize(
    ("kind", "break_it"),
    [
        ("Deployment", lambda d: d["spec"].pop("selector")),
        (
            "Deployment",
            lambda d: d["spec"]["template"]["spec"]["containers"][0]["readinessProbe"][
                "httpGet"
            ].pop("port"),
        ),
        ("HorizontalPodAutoscaler", lambda d: d["spec"].update(maxReplicas="six")),
        ("PodDisruptionBudget", lambda d: d["spec"].update(minAvailabel=1)),
        ("Service", lambda d: d["spec"]["ports"][0].update(port="http")),
    ],
    ids=[
        "deployment-without-selector",
        "probe-without-port",
        "autoscaler-maximum-not-a-number",
        "budget-misspelt-field",
        "service-port-by-name",
    ],
)
def test_the_validator_rejects_a_broken_object(kind: str, break_it: Any) -> None:
    original = next(iter(objects(kind).values()))
    kubernetes_validate.validate(original, KUBERNETES_VERSIONS[-1], strict=True)
    broken = copy.deepcopy(original)
    break_it(broken)
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSIONS[-1], strict=True)


def test_kustomization_names_every_manifest_but_the_secret_example() -> None:
    resources = load_yaml(KUSTOMIZATION)["resources"]
    assert sorted(resources) == sorted(
        path.name for path in MANIFESTS if path.name != "secret.example.yaml"
    )


def selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    wanted: dict[str, str] = selector["matchLabels"]
    return wanted.items() <= labels.items()


@pytest.mark.parametrize("name", list(COMPONENTS))
def test_each_component_has_a_probed_bounded_non_root_deployment(name: str) -> None:
    module, _ = COMPONENTS[name]
    deployment = objects("Deployment")[name]
    spec = deployment["spec"]
    assert spec["replicas"] == 2
    pod = spec["template"]["spec"]
    assert selects(spec["selector"], spec["template"]["metadata"]["labels"])
    assert pod["securityContext"]["runAsNonRoot"] is True
    (container,) = pod["containers"]
    assert uvicorn_module(container["args"]) == module
    assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"
    assert {"cpu", "memory"} <= set(container["resources"]["requests"])
    assert {"cpu", "memory"} <= set(container["resources"]["limits"])
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    refs = {next(iter(ref.values()))["name"] for ref in container["envFrom"]}
    assert refs == {"treue-config", "treue-secrets"}


@pytest.mark.parametrize("name", list(COMPONENTS))
def test_each_component_has_a_service_an_autoscaler_and_a_disruption_budget(name: str) -> None:
    pod_labels = objects("Deployment")[name]["spec"]["template"]["metadata"]["labels"]
    service = objects("Service")[name]
    assert service["spec"]["selector"].items() <= pod_labels.items()
    assert service["spec"]["ports"][0]["targetPort"] == "http"
    autoscaler = objects("HorizontalPodAutoscaler")[name]
    assert autoscaler["apiVersion"] == "autoscaling/v2"
    assert autoscaler["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": name,
    }
    assert autoscaler["spec"]["minReplicas"] >= 2
    budget = objects("PodDisruptionBudget")[name]
    assert budget["apiVersion"] == "policy/v1"
    assert selects(budget["spec"]["selector"], pod_labels)


@pytest.mark.parametrize("name", list(COMPONENTS))
def test_each_component_has_a_migration_job(name: str) -> None:
    _, folder = COMPONENTS[name]
    job = objects("Job")[f"{name}-migrate"]
    pod = job["spec"]["template"]["spec"]
    assert pod["restartPolicy"] == "Never"
    (container,) = pod["containers"]
    assert alembic_folder(container["args"]) == folder
    assert (ROOT / folder / "alembic.ini").exists()
    assert (
        container["image"]
        == objects("Deployment")[name]["spec"]["template"]["spec"]["containers"][0]["image"]
    )


@pytest.mark.parametrize("name", list(COMPONENTS))
def test_connection_pools_at_the_autoscalers_maximum_fit_the_database(name: str) -> None:
    config = objects("ConfigMap")["treue-config"]["data"]
    # The pool, its overflow, and the connection the outbox relay holds for its lock.
    per_replica = (
        int(config[f"TREUE_{name.upper()}_DATABASE_POOL_SIZE"])
        + int(config[f"TREUE_{name.upper()}_DATABASE_MAX_OVERFLOW"])
        + 1
    )
    most = objects("HorizontalPodAutoscaler")[name]["spec"]["maxReplicas"] * per_replica
    # Room for a migration Job and an operator's session.
    assert most <= MAX_CONNECTIONS - 10


def test_the_secret_example_holds_every_secret_and_no_real_one() -> None:
    secret = objects("Secret")["treue-secrets"]
    values = secret["stringData"]
    for name in COMPONENTS:
        assert f"TREUE_{name.upper()}_DATABASE_URL" in values
    assert values["TREUE_INTERNAL_TOKEN_SECRET"] == "CHANGE-ME"
    assert values["TREUE_GATEWAY_ACCESS_TOKEN_SECRET"] == "CHANGE-ME"
    config = objects("ConfigMap")["treue-config"]["data"]
    assert not set(values) & set(config)


def test_the_ingress_sends_everything_to_the_gateway_over_tls() -> None:
    (ingress,) = objects("Ingress").values()
    (rule,) = ingress["spec"]["rules"]
    (path,) = rule["http"]["paths"]
    assert path["path"] == "/"
    assert path["backend"]["service"]["name"] == "gateway"
    assert path["backend"]["service"]["name"] in objects("Service")
    assert ingress["spec"]["tls"][0]["hosts"] == [rule["host"]]


def test_topics_are_replicated_three_times_with_two_in_sync() -> None:
    job = objects("Job")["kafka-topics"]
    script = job["spec"]["template"]["spec"]["containers"][0]["args"][0]
    assert "--partitions 12 --replication-factor 3 --config min.insync.replicas=2" in script
    assert "for owner in contacts surveys analytics; do" in script


def pod_specs() -> list[tuple[str, dict[str, Any]]]:
    return [
        (doc["metadata"]["name"], doc["spec"]["template"]["spec"])
        for doc in every_object()
        if doc["kind"] in ("Deployment", "Job")
    ]


@pytest.mark.parametrize(("name", "pod"), pod_specs(), ids=[name for name, _ in pod_specs()])
def test_every_pod_meets_the_restricted_pod_security_standard(
    name: str, pod: dict[str, Any]
) -> None:
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    assert pod["automountServiceAccountToken"] is False
    for container in pod["containers"]:
        assert container["securityContext"]["allowPrivilegeEscalation"] is False
        assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
        assert {"requests", "limits"} <= set(container["resources"])


def test_the_cluster_configures_everything_the_single_host_sets() -> None:
    compose = load_yaml(ROOT / "deploy" / "compose" / "compose.yaml")
    host_sets = set(compose["services"]["gateway"]["environment"])
    cluster_sets = set(objects("ConfigMap")["treue-config"]["data"]) | set(
        objects("Secret")["treue-secrets"]["stringData"]
    )
    assert host_sets - cluster_sets == set()
