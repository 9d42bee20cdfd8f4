"""Who may sign in and do what: PIN hashes, the people file, roles, the sign-in limit,
plant time; the sign-in form against a real server (no browser needed)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from andon.board.catalogue import BoardCatalogue
from andon.board.station_data import StationSnapshot
from andon.board.views import BoardView, LineView, StationView
from andon.config.errors import ConfigError
from andon.web.auth import SignInLimiter, may_handle
from andon.web.config import Person, WebSetup
from andon.web.hub import PlantClock, utc_now
from andon.web.pins import hash_pin, is_pin_hash, verify_pin
from andon.web.server import WebServer
from tests.web.conftest import PIN

PINS = st.text(st.characters(codec="utf-8"), min_size=4, max_size=12)


@settings(max_examples=8, deadline=None)
@given(PINS, PINS)
def test_a_pin_matches_its_own_hash_only(pin: str, other: str) -> None:
    stored = hash_pin(pin)
    assert is_pin_hash(stored) and pin not in stored
    assert verify_pin(pin, stored)
    assert verify_pin(other, stored) == (other == pin)


def test_two_hashes_of_one_pin_differ_by_their_salt() -> None:
    assert hash_pin("1234") != hash_pin("1234")
    with pytest.raises(ValueError, match="4 to 64"):
        hash_pin("123")


def test_each_role_handles_its_calls() -> None:
    def person(*roles: str) -> Person:
        return Person("1", "x", roles, "")

    assert may_handle(person("maintenance"), "equipment")
    assert not may_handle(person("maintenance"), "material")
    assert may_handle(person("store"), "material") and not may_handle(person("store"), "help")
    assert may_handle(person("supervisor"), "material")
    assert not any(may_handle(person("operator"), t) for t in ("help", "material", "equipment"))
    assert may_handle(person("operator", "store"), "material")


def test_the_sign_in_limit_counts_per_key_and_forgets_after_its_window() -> None:
    now = [0.0]
    limiter = SignInLimiter(3, 60, clock=lambda: now[0])
    for _ in range(3):
        assert not limiter.blocked("badge:1", "address:a")
        limiter.failed("badge:1", "address:a")
    assert limiter.blocked("badge:1") and limiter.blocked("address:a")
    assert not limiter.blocked("badge:2", "address:b")
    now[0] = 61.0
    assert not limiter.blocked("badge:1", "address:a")


def test_a_people_file_names_file_key_and_expectation(
    web_setup: Callable[..., WebSetup], tmp_path: Path
) -> None:
    web_setup()
    people = tmp_path / "people.toml"
    people.write_text(
        'kind = "people"\nschema = 1\n[[person]]\nbadge = "9999"\n'
        f'pin_hash = "{hash_pin(PIN)}"\nroles = ["maintenance"]\n'
    )
    from andon.web.config import load_web

    with pytest.raises(ConfigError) as caught:
        load_web(tmp_path / "web.toml")
    assert "person[0].badge" in str(caught.value) and "9999" in str(caught.value)
    people.write_text(
        'kind = "people"\nschema = 1\n[[person]]\nbadge = "3001"\n'
        'pin_hash = "1234"\nroles = ["janitor"]\n'
    )
    with pytest.raises(ConfigError) as caught:
        load_web(tmp_path / "web.toml")
    text = str(caught.value)
    assert str(people) in text and "pin_hash" in text and "--hash-pin" in text
    assert "roles" in text


def _view(at: str) -> BoardView:
    from datetime import datetime

    instant = datetime.fromisoformat(at)
    snap = StationSnapshot(station="p/a/l/s", line="l", station_id="s", at=instant, seq=1)
    station = StationView("p/a/l/s", "l", "s", link="ok", age_s=0, snapshot=snap)  # type: ignore[arg-type]
    return BoardView(now=instant, title="", lines=(LineView("l", "l", (station,), station),))


def test_plant_time_runs_at_the_plants_speed_and_follows_the_stations() -> None:
    mono = [100.0]
    clock = PlantClock(10, monotonic=lambda: mono[0])
    start = clock()
    mono[0] += 3
    assert clock() - start == timedelta(seconds=30)  # 3 wall seconds are 30 plant seconds
    ahead = (clock() + timedelta(hours=2)).isoformat()
    clock.observe(_view(ahead))  # the stations' newest instant is later: move to it
    assert clock().isoformat() == ahead
    clock.observe(_view((clock() - timedelta(seconds=20)).isoformat()))  # never back
    assert clock().isoformat() == ahead
    assert abs((PlantClock(1)() - utc_now()).total_seconds()) < 5


def test_sign_in_refuses_a_wrong_pin_then_blocks_past_the_limit(
    web_setup: Callable[..., WebSetup], serve: Callable[..., WebServer]
) -> None:
    setup = web_setup(sign_in_attempts=3)
    from andon.board.model import BoardModel
    from andon.web.hub import Hub
    from andon.web.server import make_site

    catalogue = BoardCatalogue.from_board(setup.board)
    site = make_site(setup, hub=Hub(catalogue, BoardModel(catalogue), None))
    server = serve(setup, site)
    with httpx.Client(base_url=server.url, follow_redirects=False) as client:
        assert client.get("/calls").status_code == 303  # nothing anonymous
        assert client.get("/events/calls").status_code == 401
        form = client.get("/sign-in").text
        csrf = form.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        without = client.post("/sign-in", data={"badge": "3001", "pin": PIN})
        assert without.status_code == 403  # no CSRF token
        for _ in range(3):
            wrong = client.post("/sign-in", data={"csrf": csrf, "badge": "3001", "pin": "0000"})
            assert wrong.status_code == 401 and "wrong PIN" in wrong.text
        blocked = client.post("/sign-in", data={"csrf": csrf, "badge": "3001", "pin": PIN})
        assert blocked.status_code == 429  # even the right PIN, until the window has passed
        cookie = client.cookies.get("andon_session")
        assert cookie and PIN not in cookie
    with httpx.Client(base_url=server.url, follow_redirects=False) as other:
        # another badge from the same address is blocked too: the address is counted
        form = other.get("/sign-in").text
        csrf = form.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        answer = other.post("/sign-in", data={"csrf": csrf, "badge": "2001", "pin": PIN})
        assert answer.status_code == 429


def test_the_production_example_signs_everyone_in_over_tls(tmp_path: Path) -> None:
    """deploy/web/web.toml, placed beside a plant file: nothing anonymous, TLS, kiosk links."""
    from andon.web.config import load_web
    from tests.support.stations import DEMO

    example = Path(__file__).resolve().parents[2] / "deploy" / "web" / "web.toml"
    text = example.read_text().replace('plant = "plant.toml"', f'plant = "{DEMO / "plant.toml"}"')
    (tmp_path / "web.toml").write_text(text)
    people = (example.parent / "people.toml").read_text()
    (tmp_path / "people.toml").write_text(
        people.replace("scrypt$16384$8$1$<salt>$<key>", hash_pin(PIN))
    )
    (tmp_path / "tv-hall-1.token").write_text("k" * 48)
    setup = load_web(tmp_path / "web.toml")
    web = setup.web
    assert not web.view_without_sign_in
    assert web.tls_cert is not None and web.tls_key is not None and web.secret_file is not None
    assert setup.kiosk == {"k" * 48: "tv-hall-1"}
    assert set(setup.people) == {"3001"}


def test_tls_with_the_deploys_certificate_and_secure_cookies(
    web_setup: Callable[..., WebSetup], serve: Callable[..., WebServer], tmp_path: Path
) -> None:
    import shutil
    import subprocess

    from andon.board.model import BoardModel
    from andon.web.hub import Hub
    from andon.web.server import make_site

    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "web.crt", tmp_path / "web.key"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
         "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    secret = tmp_path / "session.key"
    secret.write_bytes(b"s" * 32)
    setup = web_setup(tls_cert=str(cert), tls_key=str(key), secret_file=str(secret))
    catalogue = BoardCatalogue.from_board(setup.board)
    server = serve(setup, make_site(setup, hub=Hub(catalogue, BoardModel(catalogue), None)))
    assert server.url.startswith("https://127.0.0.1:")
    import ssl

    trust = ssl.create_default_context(cafile=str(cert))
    with httpx.Client(base_url=server.url, verify=trust) as client:
        answer = client.get("/sign-in")
        assert answer.status_code == 200
        cookie = answer.headers["set-cookie"].lower()
        assert "secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    with pytest.raises(httpx.HTTPError):
        httpx.get(server.url.replace("https://", "http://") + "/health", timeout=3)
