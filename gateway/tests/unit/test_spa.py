from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from gateway.entrypoints.spa import mount_spa
from gateway.main import create_app
from gateway.settings import GatewaySettings

INDEX = "<!doctype html><div id=root></div>"


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(INDEX)
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log('treue')")
    return tmp_path


def spa_client(dist: Path) -> TestClient:
    app = FastAPI()

    @app.get("/api/v1/ping")
    async def ping() -> dict[str, str]:
        return {"pong": "yes"}

    mount_spa(app, dist)
    return TestClient(app)


@pytest.mark.parametrize(
    "path",
    # /s/{token}: the survey link in invitations (survey-service builds it) opens the answer page.
    [
        "/",
        "/contacts",
        "/contacts/0b7f2c1e?q=berg",
        "/login",
        "/s/Zq3-_x9AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
    ],
)
def test_the_app_and_its_client_side_routes_get_index_html(dist: Path, path: str) -> None:
    answer = spa_client(dist).get(path)

    assert answer.status_code == 200
    assert answer.text == INDEX
    assert answer.headers["cache-control"] == "no-cache"


def test_assets_are_served_and_a_missing_one_is_a_404_not_the_app(dist: Path) -> None:
    client = spa_client(dist)

    assert client.get("/assets/index-abc123.js").text == "console.log('treue')"
    assert client.get("/assets/index-old999.js").status_code == 404


def test_api_paths_stay_the_apis(dist: Path) -> None:
    client = spa_client(dist)

    assert client.get("/api/v1/ping").json() == {"pong": "yes"}
    assert client.get("/api/v1/nothing-here").status_code == 404


def test_without_a_build_the_front_door_opens_onto_the_api_docs(tmp_path: Path) -> None:
    answer = spa_client(tmp_path / "missing").get("/", follow_redirects=False)

    assert answer.status_code == 307
    assert answer.headers["location"] == "/api/docs"


def test_the_gateway_serves_the_dist_folder_its_settings_name(dist: Path) -> None:
    # Without a lifespan: the routes are matched, nothing connects to a database.
    client = TestClient(create_app(GatewaySettings(spa_dir=dist)))

    assert client.get("/contacts").text == INDEX
    assert client.get("/health/live").status_code == 200
