"""The acknowledge endpoint on loopback: links show before they act, codes are found in replies."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from andon.i18n.fonts import font_stack, html_lang
from andon.notify.ack_server import AckAnswer, AckServer, reply_code
from andon.notify.queue import Alert, AlertQueue

from .conftest import at
from .specs import alert_spec


class Station:
    """Stands in for the notifier's command round trip; records what it was asked."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []
        self.answer = AckAnswer(True, "acknowledged")

    def __call__(self, alert: Alert, badge: str) -> AckAnswer:
        self.asked.append((alert.spec.call_id, badge))
        return self.answer


@pytest.fixture
def queue(tmp_path: Path) -> Iterator[AlertQueue]:
    opened = AlertQueue(tmp_path / "queue.sqlite")
    yield opened
    opened.close()


@pytest.fixture
def served(queue: AlertQueue) -> Iterator[tuple[str, Station]]:
    station = Station()
    server = AckServer("127.0.0.1", 0, queue, station, lambda a: ("Title", "line 1\n<b>2</b>"))
    server.start()
    host, port = server.address
    try:
        yield f"http://{host}:{port}", station
    finally:
        server.stop()


def _post(url: str, data: bytes, content_type: str = "text/plain") -> tuple[int, str]:
    request = urllib.request.Request(url, data=data, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_reply_codes_are_found_in_what_people_type() -> None:
    assert reply_code("ACK 123456") == "123456"
    assert reply_code("ok, ack123456 thanks") == "123456"
    assert reply_code("call me at 01234567") is None
    assert reply_code("ack") is None


def test_a_link_shows_the_call_and_acknowledges_only_when_asked(
    queue: AlertQueue, served: tuple[str, Station]
) -> None:
    base, station = served
    alert = queue.add(alert_spec(), at(8))
    assert alert is not None
    with urllib.request.urlopen(f"{base}/a/{alert.token}", timeout=10) as page:
        html = page.read().decode()
    assert "<h1>Title</h1>" in html and "&lt;b&gt;2&lt;/b&gt;" in html and "<button" in html
    assert station.asked == []
    assert _post(f"{base}/a/{alert.token}", b"badge=1001") == (
        200,
        _page_text("Acknowledged", "acknowledged"),
    )
    assert station.asked == [("c1", "1001")]
    station.answer = AckAnswer(False, "call c1 was already acknowledged by Anna Becker")
    status, text = _post(f"{base}/a/{alert.token}", b"")
    assert status == 409 and "already acknowledged by Anna Becker" in text
    assert _post(f"{base}/a/not-a-token", b"")[0] == 404


def test_replies_come_as_text_forms_or_json(queue: AlertQueue, served: tuple[str, Station]) -> None:
    base, station = served
    alert = queue.add(alert_spec(), at(8))
    assert alert is not None and alert.code is not None
    assert _post(f"{base}/reply", f"ACK {alert.code}".encode()) == (200, "acknowledged\n")
    form = f"From=%2B49151&Body=ack+{alert.code}".encode()
    assert _post(f"{base}/reply", form, "application/x-www-form-urlencoded")[0] == 200
    payload = json.dumps({"sender": "x", "message": f"ACK {alert.code}"}).encode()
    assert _post(f"{base}/reply", payload, "application/json")[0] == 200
    assert station.asked == [("c1", "")] * 3
    assert _post(f"{base}/reply", b"ACK 999999") == (404, "no open call has this reply code\n")
    assert _post(f"{base}/reply", b"on my way") == (404, "no reply code found\n")
    assert _post(f"{base}/reply", b"x" * 20_000)[0] == 413
    with urllib.request.urlopen(f"{base}/health", timeout=10) as health:
        assert health.read() == b"ok\n"


def _page_text(heading: str, message: str, language: str = "en") -> str:
    return (
        f"<!doctype html><html lang='{html_lang(language)}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<style>body{{font-family:{font_stack(language)}}}</style>"
        f"<title>{heading}</title></head><body><h1>{heading}</h1><p>{message}</p></body></html>"
    )


def test_the_page_speaks_the_recipients_language(queue: AlertQueue) -> None:
    station = Station()
    station.answer = AckAnswer(False, "呼叫 c1 已由 Anna Becker 确认", "zh_CN")
    server = AckServer(
        "127.0.0.1", 0, queue, station, lambda a: ("标题", "正文"), lambda a: "zh_CN", "de"
    )
    server.start()
    try:
        host, port = server.address
        alert = queue.add(alert_spec(), at(8))
        assert alert is not None
        with urllib.request.urlopen(f"http://{host}:{port}/a/{alert.token}", timeout=10) as page:
            html = page.read().decode()
        assert "<html lang='zh-Hans-CN'>" in html and "Noto Sans CJK SC" in html
        assert "您的工牌号（可选）" in html and ">确认接收</button>" in html
        status, text = _post(f"http://{host}:{port}/a/{alert.token}", b"")
        assert (status, text) == (
            409,
            _page_text("未确认", "呼叫 c1 已由 Anna Becker 确认", "zh_CN"),
        )
        status, text = _post(f"http://{host}:{port}/a/nope", b"")
        assert status == 404 and "Unbekannte Meldung" in text and "lang='de'" in text
        # a reply without an open call's code: the plant's language
        assert _post(f"http://{host}:{port}/reply", b"ACK 999999") == (
            404,
            "kein offener Ruf hat diesen Antwortcode\n",
        )
        assert _post(f"http://{host}:{port}/reply", b"unterwegs") == (
            404,
            "kein Antwortcode gefunden\n",
        )
    finally:
        server.stop()


def test_a_refusal_is_shown_in_the_readers_language() -> None:
    from andon.i18n import translator
    from andon.i18n.refusals import shown

    reason = "call line-a.a1.C3 was already acknowledged by Anna Becker"
    assert shown(reason, translator("zh_TW")) == "呼叫 line-a.a1.C3 已由 Anna Becker 確認"
    assert shown("a help call is already open (x.C1)", translator("de")) == (
        "ein Hilfe-Ruf ist bereits offen (x.C1)"
    )
    assert shown("the disk is on fire", translator("de")) == "the disk is on fire"
