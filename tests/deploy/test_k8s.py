"""deploy/k8s, checked offline: each object against Kubernetes' own schemas (strict: unknown fields fail), then the
references between objects and to the app (ports, probe paths, routes, settings, secrets).

kubectl cannot do this here: `kubectl apply --dry-run=client` and `kubectl create --dry-run=client` both ask an API
server for the resource mapping, and there is none. kubernetes-validate ships the schemas per Kubernetes version.
"""

from __future__ import annotations

import asyncio
import copy
import shlex
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import kubernetes_validate
import pytest

from bot.bootstrap import build
from bot.settings import Settings
from bot.slack.run import INSTALL_PATH, REDIRECT_PATH, SLACK_PATH
from bot.telegram.webhook import TELEGRAM_PATH
from bot.web import create_app
from tests.deploy.deploy_files import dockerfile_stages, env_instructions, k8s_files, k8s_objects, setting_names

VERSIONS = ["1.30.0", "1.37.0"]  # the oldest release we claim, and the newest the schemas know
OBJECTS = k8s_objects()
DEPLOYMENT = OBJECTS[("Deployment", "cusdev")]
JOB = OBJECTS[("Job", "cusdev-migrate")]
SERVICE = OBJECTS[("Service", "cusdev")]
INGRESS = OBJECTS[("Ingress", "cusdev")]
CONFIG = OBJECTS[("ConfigMap", "cusdev-config")]
SECRET = OBJECTS[("Secret", "cusdev-secrets")]
POD = DEPLOYMENT["spec"]["template"]
(CONTAINER,) = POD["spec"]["containers"]
READYZ = "/readyz"


def test_the_manifests_hold_every_object_the_deployment_needs() -> None:
    kinds = {kind for kind, _ in OBJECTS}
    assert kinds == {"Deployment", "Service", "Ingress", "ConfigMap", "Secret", "Job", "PodDisruptionBudget"}
    assert len(k8s_files()) == len(OBJECTS)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("key", sorted(OBJECTS), ids=lambda key: f"{key[0]}/{key[1]}")
def test_each_object_is_valid_under_kubernetes_schemas(key: tuple[str, str], version: str) -> None:
    kubernetes_validate.validate(OBJECTS[key], version, strict=True)


@pytest.mark.parametrize(
    "break_it",
    [
        lambda pod: pod["spec"]["containers"][0].update(readinesProbe={}),
        lambda pod: pod["spec"]["containers"][0]["ports"][0].update(containerPort="8080"),
        lambda pod: pod["spec"].update(terminationGracePeriodSeconds="15s"),
    ],
    ids=["misspelt field", "port as a string", "duration as a string"],
)
def test_the_schema_check_catches_a_broken_deployment(break_it: Any) -> None:
    broken = copy.deepcopy(DEPLOYMENT)
    break_it(broken["spec"]["template"])
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, VERSIONS[-1], strict=True)


def test_selectors_find_the_bot_pods_and_not_the_migration() -> None:
    labels = POD["metadata"]["labels"]
    job_labels = JOB["spec"]["template"]["metadata"]["labels"]
    for selector in (
        DEPLOYMENT["spec"]["selector"]["matchLabels"],
        SERVICE["spec"]["selector"],
        OBJECTS[("PodDisruptionBudget", "cusdev")]["spec"]["selector"]["matchLabels"],
    ):
        assert selector.items() <= labels.items()
        assert not selector.items() <= job_labels.items()


def test_one_port_everywhere_container_service_config_and_image() -> None:
    ports = {port["name"]: port["containerPort"] for port in CONTAINER["ports"]}
    (service_port,) = SERVICE["spec"]["ports"]
    exposed = dockerfile_stages()[-1].all("EXPOSE")
    assert ports[service_port["targetPort"]] == int(CONFIG["data"]["PORT"]) == int(exposed[0])


def test_probes_ask_paths_the_web_app_serves(tmp_path: Path) -> None:
    app = build(Settings(database_url=f"sqlite:///{tmp_path / 'bot.db'}", _env_file=None))  # type: ignore[call-arg]
    served = {route.path for route in create_app(app=app).routes}  # type: ignore[attr-defined]  # all are Routes
    asyncio.run(app.storage.close())
    assert {"/healthz", READYZ, "/metrics"} <= served
    assert CONTAINER["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert CONTAINER["startupProbe"]["httpGet"]["path"] == "/healthz"
    assert CONTAINER["readinessProbe"]["httpGet"]["path"] == READYZ
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        assert CONTAINER[probe]["httpGet"]["path"] in served
        assert CONTAINER[probe]["httpGet"]["port"] in {port["name"] for port in CONTAINER["ports"]}


def ingress_routes(path: str) -> bool:
    """Whether the Ingress sends this request path to the bot (Exact, or Prefix by path elements)."""
    for rule in INGRESS["spec"]["rules"]:
        for entry in rule["http"]["paths"]:
            prefix = entry["path"].rstrip("/")
            if entry["pathType"] == "Exact" and path == entry["path"]:
                return True
            if entry["pathType"] == "Prefix" and (path == prefix or path.startswith(prefix + "/")):
                return True
    return False


def test_the_ingress_routes_the_platforms_endpoints_to_the_service_and_nothing_else() -> None:
    for path in (TELEGRAM_PATH, SLACK_PATH, INSTALL_PATH, REDIRECT_PATH):
        assert ingress_routes(path), path
    for private in ("/healthz", READYZ, "/metrics"):
        assert not ingress_routes(private), private
    service_ports = {port["name"] for port in SERVICE["spec"]["ports"]}
    for rule in INGRESS["spec"]["rules"]:
        for entry in rule["http"]["paths"]:
            backend = entry["backend"]["service"]
            assert backend["name"] == SERVICE["metadata"]["name"] and backend["port"]["name"] in service_ports
        assert rule["host"] == urlsplit(CONFIG["data"]["PUBLIC_URL"]).hostname


def secret_refs(container: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (item["valueFrom"]["secretKeyRef"]["name"], item["valueFrom"]["secretKeyRef"]["key"])
        for item in container.get("env", [])
        if "secretKeyRef" in item.get("valueFrom", {})
    ]


def test_every_secret_and_config_reference_exists() -> None:
    for container in (CONTAINER, *JOB["spec"]["template"]["spec"]["containers"]):
        for name, key in secret_refs(container):
            assert key in OBJECTS[("Secret", name)]["stringData"], (name, key)
        for source in container.get("envFrom", []):
            assert ("ConfigMap", source["configMapRef"]["name"]) in OBJECTS


def test_every_credential_of_http_mode_comes_from_the_secret_optional_but_the_database() -> None:
    # SLACK_APP_TOKEN is Socket Mode's (one process, no public URL): the replicas serve Slack over HTTP instead.
    credentials = {name for name in setting_names() if name.endswith(("_TOKEN", "_SECRET", "_CLIENT_ID"))}
    expected = credentials - {"SLACK_APP_TOKEN"} | {"DATABASE_URL"}
    assert {"SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_BOT_TOKEN", "TELEGRAM_BOT_TOKEN"} <= expected
    refs = {item["name"]: item["valueFrom"]["secretKeyRef"] for item in CONTAINER["env"] if "valueFrom" in item}
    assert refs.keys() == expected == SECRET["stringData"].keys()
    for name, ref in refs.items():
        assert ref["name"] == SECRET["metadata"]["name"] and ref["key"] == name
        assert ref.get("optional", False) is (name != "DATABASE_URL")  # one platform's keys may be deleted


def test_every_variable_named_is_a_setting_and_together_they_configure_webhook_mode(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    named = {item["name"] for item in CONTAINER["env"]} | set(CONFIG["data"]) | set(SECRET["stringData"])
    assert named <= setting_names()
    for key in setting_names():
        monkeypatch.delenv(key, raising=False)
    for key, value in {**CONFIG["data"], **SECRET["stringData"]}.items():
        monkeypatch.setenv(key, value)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.telegram_mode == "webhook" and settings.public_url and settings.telegram_webhook_secret
    assert settings.database_url.startswith("postgresql://")


def test_pods_run_locked_down_as_the_image_user_and_stop_within_the_grace_period() -> None:
    (user,) = dockerfile_stages()[-1].all("USER")
    for pod in (POD, JOB["spec"]["template"]):
        security = pod["spec"]["securityContext"]
        assert security["runAsNonRoot"] is True
        assert f"{security['runAsUser']}:{security['runAsGroup']}" == user
        for container in pod["spec"]["containers"]:
            assert container["securityContext"]["readOnlyRootFilesystem"] is True
            assert container["securityContext"]["allowPrivilegeEscalation"] is False
            assert container["resources"]["requests"] and container["resources"]["limits"]
            mounts = {mount["mountPath"] for mount in container["volumeMounts"]}
            writable = env_instructions(dockerfile_stages()[-1])["MPLCONFIGDIR"]
            assert any(writable.startswith(mount + "/") for mount in mounts)
    assert POD["spec"]["terminationGracePeriodSeconds"] == 15
    assert DEPLOYMENT["spec"]["replicas"] >= 2


def test_the_migration_job_runs_the_deployments_image_once() -> None:
    (migrate,) = JOB["spec"]["template"]["spec"]["containers"]
    assert migrate["image"] == CONTAINER["image"]
    assert shlex.join(migrate["args"]) == "db upgrade"
    assert secret_refs(migrate) == [("cusdev-secrets", "DATABASE_URL")]
    assert JOB["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    rollout = DEPLOYMENT["spec"]["strategy"]["rollingUpdate"]
    assert rollout == {"maxSurge": 1, "maxUnavailable": 0}  # one new pod at a time
