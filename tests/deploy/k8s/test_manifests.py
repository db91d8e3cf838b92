"""deploy/k8s: each overlay rendered, validated against the Kubernetes schemas (offline), its
custom resources checked, its hardening and network rules asserted, and scanned by checkov."""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import kubernetes_validate
import pytest
import yaml

from router.settings import load_settings
from subgraphs.auth.settings import AuthSettings
from subgraphs.billing.settings import BillingSettings
from subgraphs.clinical.settings import ClinicalSettings
from subgraphs.common.events.topics import registry_topics
from subgraphs.common.settings import ServiceSettings
from tests.deploy.compose_file import ComposeFile, dockerfile_env
from tests.deploy.conftest import OVERLAYS
from tests.deploy.kustomize import Resource

KUBERNETES = "1.33.0"  # the oldest release our manifests target (sleep preStop hooks: 1.30)
SERVICES = {"router": 4000, "auth": 4001, "clinical": 4002, "billing": 4003}
BILLING_GRPC = 4013
CUSTOM_GROUPS = ("postgresql.cnpg.io/", "kafka.strimzi.io/")
APP_OVERLAYS = ("dev", "prod")


@pytest.fixture(scope="module")
def image_env(repo_root: Path) -> dict[str, str]:
    return dockerfile_env(repo_root / "Dockerfile", "runtime")


def of_kind(resources: list[Resource], kind: str) -> dict[str, Resource]:
    return {r["metadata"]["name"]: r for r in resources if r["kind"] == kind}


def canonical(resources: list[Resource]) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True) for r in resources)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_rendering_matches_kubectl_kustomize(
    overlay: str, rendered: dict[str, list[Resource]], repo_root: Path
) -> None:
    """Our renderer of kustomize's subset prints what kustomize itself prints."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("no kubectl here: the Python renderer alone renders the overlays")
    result = subprocess.run(
        [kubectl, "kustomize", str(repo_root / "deploy" / "k8s" / overlay)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert canonical(rendered[overlay]) == canonical(list(yaml.safe_load_all(result.stdout)))


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_manifests_validate_against_the_kubernetes_schemas(
    overlay: str, rendered: dict[str, list[Resource]]
) -> None:
    """Every built-in resource against the bundled (offline) schemas, strictly: no unknown field."""
    builtin = [r for r in rendered[overlay] if not r["apiVersion"].startswith(CUSTOM_GROUPS)]
    assert builtin or overlay == "prod/data"
    for resource in builtin:
        kubernetes_validate.validate(resource, KUBERNETES, strict=True)


def test_custom_resources_have_what_their_operators_require(
    rendered: dict[str, list[Resource]],
) -> None:
    """CRDs are not bundled: the fields CloudNativePG and Strimzi refuse to go without."""
    data = rendered["prod/data"]
    assert {r["kind"] for r in data} == {
        "Cluster",
        "Database",
        "Kafka",
        "KafkaNodePool",
        "KafkaTopic",
    }
    for resource in data:
        assert re.fullmatch(r"[a-z0-9]([-a-z0-9.]*[a-z0-9])?", resource["metadata"]["name"])
        assert resource["metadata"]["namespace"] == "healthgraph-data"
    [cluster] = of_kind(data, "Cluster").values()
    assert cluster["apiVersion"] == "postgresql.cnpg.io/v1"
    assert cluster["spec"]["instances"] >= 3
    assert cluster["spec"]["imageName"].endswith(":18")
    assert cluster["spec"]["storage"]["size"]
    owner = cluster["spec"]["bootstrap"]["initdb"]["owner"]
    databases = of_kind(data, "Database").values()
    assert {d["spec"]["name"] for d in databases} == {
        "healthgraph_auth",
        "healthgraph_clinical",
        "healthgraph_billing",
    }
    for database in databases:
        assert database["spec"]["owner"] == owner
        assert database["spec"]["cluster"]["name"] == cluster["metadata"]["name"]
    [kafka] = of_kind(data, "Kafka").values()
    assert kafka["metadata"]["annotations"] == {
        "strimzi.io/node-pools": "enabled",
        "strimzi.io/kraft": "enabled",
    }
    assert kafka["spec"]["kafka"]["listeners"]
    assert kafka["spec"]["kafka"]["config"]["auto.create.topics.enable"] is False
    assert "topicOperator" in kafka["spec"]["entityOperator"]
    [pool] = of_kind(data, "KafkaNodePool").values()
    assert pool["metadata"]["labels"]["strimzi.io/cluster"] == kafka["metadata"]["name"]
    assert set(pool["spec"]["roles"]) == {"controller", "broker"}
    assert pool["spec"]["replicas"] >= 3
    assert pool["spec"]["storage"]["volumes"]


def test_kafka_topics_are_the_registry_with_partitions_and_retention(
    rendered: dict[str, list[Resource]],
) -> None:
    topics = of_kind(rendered["prod/data"], "KafkaTopic").values()
    declared = {t["spec"]["topicName"]: t for t in topics}
    assert set(declared) == {spec.name for spec in registry_topics()}
    for spec in registry_topics():
        topic = declared[spec.name]
        assert topic["metadata"]["labels"]["strimzi.io/cluster"] == "healthgraph"
        assert topic["spec"]["partitions"] == spec.partitions, spec.name
        assert topic["spec"]["replicas"] == 3
        assert topic["spec"]["config"]["min.insync.replicas"] == 2
        assert topic["spec"]["config"]["retention.ms"] > 0


@pytest.mark.parametrize("overlay", APP_OVERLAYS)
def test_deployments_are_probed_bounded_and_hardened(
    overlay: str, rendered: dict[str, list[Resource]]
) -> None:
    deployments = of_kind(rendered[overlay], "Deployment")
    assert set(deployments) == set(SERVICES)
    for name, deployment in deployments.items():
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["automountServiceAccountToken"] is False
        assert {c["topologyKey"] for c in pod["topologySpreadConstraints"]} == {
            "topology.kubernetes.io/zone",
            "kubernetes.io/hostname",
        }
        [container] = pod["containers"]
        assert re.fullmatch(r"registry\.example/healthgraph:[\w.]+", container["image"])
        security = container["securityContext"]
        assert security["readOnlyRootFilesystem"] is True
        assert security["allowPrivilegeEscalation"] is False
        assert security["capabilities"]["drop"] == ["ALL"]
        assert security["runAsUser"] != 0
        assert {"cpu", "memory"} <= set(container["resources"]["requests"])
        assert {"cpu", "memory"} <= set(container["resources"]["limits"])
        ready = "/health" if name == "router" else "/ready"
        assert container["startupProbe"]["httpGet"]["path"] == "/health"
        assert container["livenessProbe"]["httpGet"]["path"] == "/health"
        assert container["readinessProbe"]["httpGet"]["path"] == ready
        port = container["command"][container["command"].index("--port") + 1]
        assert int(port) == SERVICES[name]
        writable = {m["mountPath"] for m in container["volumeMounts"] if not m.get("readOnly")}
        assert {"/tmp", "/var/lib/healthgraph"} <= writable


@pytest.mark.parametrize("overlay", APP_OVERLAYS)
def test_pods_run_the_commands_the_compose_test_runs(
    overlay: str, rendered: dict[str, list[Resource]], compose: ComposeFile
) -> None:
    """The containers' commands are compose's (tests/deploy/test_compose.py starts each one);
    the router reads its files from the mounted ConfigMaps instead of the image's copies."""
    for name, deployment in of_kind(rendered[overlay], "Deployment").items():
        [container] = deployment["spec"]["template"]["spec"]["containers"]
        command = list(container["command"])
        if name == "router":
            for flag in ("--supergraph", "--config"):
                index = command.index(flag) + 1
                command[index] = compose.command(name)[compose.command(name).index(flag) + 1]
        assert command == compose.command(name), name
    [job] = of_kind(rendered[overlay], "Job").values()
    pod = job["spec"]["template"]["spec"]
    assert pod["initContainers"][0]["command"] == compose.command("migrate")
    assert pod["containers"][0]["command"][:2] == compose.command("topics")[:2]


@pytest.mark.parametrize("overlay", APP_OVERLAYS)
def test_termination_grace_covers_the_services_shutdown(
    overlay: str, rendered: dict[str, list[Resource]]
) -> None:
    """preStop pause + uvicorn's graceful shutdown (+ billing's gRPC grace) fit in the grace
    period; the router drains subscriptions, then waits for requests up to the subgraph timeout."""
    for name, deployment in of_kind(rendered[overlay], "Deployment").items():
        pod = deployment["spec"]["template"]["spec"]
        [container] = pod["containers"]
        pause = container["lifecycle"]["preStop"]["sleep"]["seconds"]
        command = container["command"]
        if name == "router":
            needed = pause + 5 + 30  # subscription_drain_timeout, subgraph_timeout
        else:
            needed = pause + int(command[command.index("--timeout-graceful-shutdown") + 1])
            needed += 5 if name == "billing" else 0  # grpc_shutdown_grace
        assert pod["terminationGracePeriodSeconds"] >= needed, name


@pytest.mark.parametrize("overlay", APP_OVERLAYS)
def test_each_service_has_scaling_and_disruption_budget_and_only_the_router_an_ingress(
    overlay: str, rendered: dict[str, list[Resource]]
) -> None:
    resources = rendered[overlay]
    hpas = of_kind(resources, "HorizontalPodAutoscaler")
    assert set(hpas) == set(SERVICES)
    for name, hpa in hpas.items():
        assert hpa["spec"]["scaleTargetRef"]["name"] == name
        assert 1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
    assert set(of_kind(resources, "PodDisruptionBudget")) == set(SERVICES)
    [ingress] = of_kind(resources, "Ingress").values()
    backends = {
        path["backend"]["service"]["name"]
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    }
    assert backends == {"router"}
    annotations = ingress["metadata"]["annotations"]
    assert int(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600  # sockets
    services = of_kind(resources, "Service")
    assert all(s["spec"]["type"] == "ClusterIP" for s in services.values())
    assert {p["port"] for p in services["billing"]["spec"]["ports"]} == {4003, BILLING_GRPC}


def _allowed_from(policy: Resource) -> set[tuple[str, int]]:
    """(app or namespace, port) pairs the policy's ingress admits."""
    allowed = set()
    for rule in policy["spec"].get("ingress", []):
        for peer in rule["from"]:
            source = (
                peer.get("podSelector", {}).get("matchLabels", {}).get("app.kubernetes.io/name")
                or "ns:" + peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
            )
            allowed |= {(source, port["port"]) for port in rule["ports"]}
    return allowed


@pytest.mark.parametrize("overlay", APP_OVERLAYS)
def test_network_policies_deny_by_default_and_allow_only_the_call_graph(
    overlay: str, rendered: dict[str, list[Resource]]
) -> None:
    policies = of_kind(rendered[overlay], "NetworkPolicy")
    deny = policies["default-deny"]["spec"]
    assert deny["podSelector"] == {}
    assert set(deny["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in deny
    assert "egress" not in deny
    monitoring = "ns:monitoring"
    assert _allowed_from(policies["router"]) == {("ns:ingress-nginx", 4000), (monitoring, 4000)}
    assert _allowed_from(policies["auth"]) == {
        ("router", 4001),
        ("clinical", 4001),  # JWKS
        ("billing", 4001),
        (monitoring, 4001),
    }
    assert _allowed_from(policies["clinical"]) == {("router", 4002), (monitoring, 4002)}
    assert _allowed_from(policies["billing"]) == {
        ("router", 4003),
        ("clinical", BILLING_GRPC),
        (monitoring, 4003),
    }
    for name in ("auth", "clinical", "billing"):
        egress_ports = {
            p["port"] for rule in policies[name]["spec"]["egress"] for p in rule["ports"]
        }
        assert {5432, 9092, 6379} <= egress_ports, name
    clinical_egress = policies["clinical"]["spec"]["egress"]
    assert any(
        rule["to"] == [{"podSelector": {"matchLabels": {"app.kubernetes.io/name": "billing"}}}]
        and rule["ports"] == [{"protocol": "TCP", "port": BILLING_GRPC}]
        for rule in clinical_egress
    )


def test_prod_never_puts_two_pods_of_a_service_on_one_node(
    rendered: dict[str, list[Resource]],
) -> None:
    for name, deployment in of_kind(rendered["prod"], "Deployment").items():
        spread = deployment["spec"]["template"]["spec"]["topologySpreadConstraints"]
        rules = {c["topologyKey"]: c["whenUnsatisfiable"] for c in spread}
        assert rules["kubernetes.io/hostname"] == "DoNotSchedule", name
        assert deployment["spec"]["replicas"] >= 3


def test_prod_reaches_postgres_and_kafka_only_in_their_namespace(
    rendered: dict[str, list[Resource]],
) -> None:
    policies = of_kind(rendered["prod"], "NetworkPolicy")
    endpoints = of_kind(rendered["prod"], "ConfigMap")["healthgraph-endpoints"]["data"]
    assert endpoints["DATABASE_HOST"].endswith(".healthgraph-data.svc")
    assert endpoints["KAFKA_BOOTSTRAP_SERVERS"].startswith("healthgraph-kafka-bootstrap.")
    data_peer = {
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "healthgraph-data"}}
    }
    for name in ("auth", "clinical", "billing", "migrate"):
        for rule in policies[name]["spec"]["egress"]:
            if {p["port"] for p in rule["ports"]} & {5432, 9092}:
                assert rule["to"] == [data_peer], name


@pytest.mark.parametrize("overlay", APP_OVERLAYS)
def test_secrets_are_referenced_never_embedded(
    overlay: str, rendered: dict[str, list[Resource]]
) -> None:
    resources = rendered[overlay]
    assert not of_kind(resources, "Secret")
    for resource in resources:
        if resource["kind"] not in {"Deployment", "Job"}:
            continue
        pod = resource["spec"]["template"]["spec"]
        for container in [*pod.get("initContainers", []), *pod["containers"]]:
            for variable in container.get("env", []):
                if re.search(r"SECRET|TOKEN|PASSWORD|PASSPHRASE|_KEY$", variable["name"]):
                    assert variable["valueFrom"]["secretKeyRef"]["name"] == "healthgraph-secrets"


@pytest.mark.parametrize("overlay", APP_OVERLAYS)
def test_migration_job_migrates_then_creates_topics(
    overlay: str, rendered: dict[str, list[Resource]]
) -> None:
    [job] = of_kind(rendered[overlay], "Job").values()
    pod = job["spec"]["template"]["spec"]
    assert [c["command"][:2] for c in pod["initContainers"]] == [["healthgraph", "migrate"]]
    [topics] = pod["containers"]
    assert topics["command"][:2] == ["healthgraph", "topics"]
    replicas = int(topics["command"][topics["command"].index("--replication-factor") + 1])
    assert replicas == (3 if overlay == "prod" else 1)


def test_supergraph_and_router_config_maps_are_current(
    rendered: dict[str, list[Resource]], repo_root: Path
) -> None:
    """deploy/k8s/base/router/config/ copies the files (kustomize reads only below itself):
    after `healthgraph compose` or an edit of router.yaml, copy them there again."""
    maps = of_kind(rendered["prod"], "ConfigMap")
    supergraph = (repo_root / "schema" / "supergraph.graphql").read_text()
    assert maps["healthgraph-supergraph"]["data"]["supergraph.graphql"] == supergraph, (
        "cp schema/supergraph.graphql deploy/k8s/base/router/config/"
    )
    assert (
        maps["healthgraph-router"]["data"]["router.yaml"] == (repo_root / "router.yaml").read_text()
    ), "cp router.yaml deploy/k8s/base/router/config/"
    [router] = of_kind(rendered["prod"], "Deployment")["router"]["spec"]["template"]["spec"][
        "containers"
    ]
    command = router["command"]
    assert command[command.index("--supergraph") + 1].endswith("/supergraph.graphql")
    assert command[command.index("--config") + 1].endswith("/router.yaml")


def test_checkov_finds_nothing(checkov_report: list[dict[str, Any]]) -> None:
    """Zero failed checks for Kubernetes, the Dockerfile and the SAM template; the deliberate
    skips are in deploy/checkov.yaml and the template, each with its reason."""
    summaries = {report["check_type"]: report["summary"] for report in checkov_report}
    assert set(summaries) == {"kubernetes", "dockerfile", "cloudformation"}
    failed = {
        report["check_type"]: [
            (check["check_id"], check["resource"]) for check in report["results"]["failed_checks"]
        ]
        for report in checkov_report
    }
    assert all(not findings for findings in failed.values()), failed
    for summary in summaries.values():
        assert summary["passed"] > 0
        assert summary["parsing_errors"] == 0


def container_env(
    container: dict[str, Any], resources: list[Resource], secret_values: dict[str, str]
) -> dict[str, str]:
    """The container's environment as the kubelet builds it: ConfigMap keys resolved, Secret keys
    from ``secret_values`` (optional ones may be missing), ``$(NAME)`` of earlier variables expanded."""
    config_maps = of_kind(resources, "ConfigMap")
    env: dict[str, str] = {}
    for variable in container.get("env", []):
        source = variable.get("valueFrom")
        if source is None:
            value = re.sub(
                r"\$\((\w+)\)", lambda m: env.get(m.group(1), m.group(0)), variable["value"]
            )
        elif "configMapKeyRef" in source:
            ref = source["configMapKeyRef"]
            value = config_maps[ref["name"]]["data"][ref["key"]]
        else:
            ref = source["secretKeyRef"]
            if ref["key"] not in secret_values:
                assert ref.get("optional"), f"no value for the required {ref['key']}"
                continue
            value = secret_values[ref["key"]]
        env[variable["name"]] = value
    return env


SECRET_VALUES = {
    "database-password": "pw",
    "auth-secret-key": base64.b64encode(b"k" * 32).decode(),
    "forwarded-secret": "forwarded",
    "billing-grpc-token": "grpc-token",
    "prescription-key-passphrase": "passphrase",
}
SETTINGS: dict[str, type[ServiceSettings]] = {
    "auth": AuthSettings,
    "clinical": ClinicalSettings,
    "billing": BillingSettings,
}


@pytest.mark.parametrize("overlay", APP_OVERLAYS)
def test_settings_load_as_the_deployments_configure_them(
    overlay: str,
    rendered: dict[str, list[Resource]],
    repo_root: Path,
    image_env: dict[str, str],
    service_environment: Callable[[dict[str, str]], None],
) -> None:
    """Each service's pydantic settings from its pod's environment (the image's ENV first):
    production, its secrets, and every address a Service of this namespace on a port it serves."""
    resources = rendered[overlay]
    deployments = of_kind(resources, "Deployment")
    served = {
        (name, port["port"])
        for name, service in of_kind(resources, "Service").items()
        for port in service["spec"]["ports"]
    }
    settings: dict[str, Any] = {}
    for name, deployment in deployments.items():
        [container] = deployment["spec"]["template"]["spec"]["containers"]
        env = {**image_env, **container_env(container, resources, SECRET_VALUES)}
        service_environment(env)
        if name == "router":
            command = container["command"]
            settings[name] = load_settings(
                str(repo_root / "router.yaml"),  # the ConfigMap's copy, checked equal above
                host=command[command.index("--host") + 1],
                port=int(command[command.index("--port") + 1]),
            )
        else:
            settings[name] = SETTINGS[name]()
        assert settings[name].production, name
    for name in SETTINGS:
        database = urlsplit(settings[name].database_url)
        assert database.password == "pw"
        assert (
            database.hostname
            == of_kind(resources, "ConfigMap")["healthgraph-endpoints"]["data"]["DATABASE_HOST"]
        )
        assert database.path == f"/healthgraph_{name}"
        jwks = urlsplit(settings[name].jwks_url)
        assert (jwks.hostname, jwks.port) in served
    router = settings["router"]
    assert router.host == "0.0.0.0"
    for url in router.subgraph_urls.values():
        assert (urlsplit(url).hostname, urlsplit(url).port) in served
    assert settings["auth"].secret_key is not None
    host, _, port = settings["clinical"].billing_grpc_target.partition(":")
    assert (host, int(port)) in served
    assert settings["billing"].grpc_port == int(port)
    assert settings["billing"].grpc_host == "0.0.0.0"
    token = settings["billing"].grpc_service_token
    assert token is not None
    assert settings["clinical"].billing_grpc_token.get_secret_value() == token.get_secret_value()
