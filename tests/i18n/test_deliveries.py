"""A notifier's delivery outcomes, sent as codes, are written as whole sentences in every
shipped language; the reasons the notifier keeps in English are found again as codes."""

from __future__ import annotations

import string
from datetime import UTC, datetime

import pytest

from andon.domain.events import AlertDelivery
from andon.i18n import translator
from andon.i18n.catalog import shipped_languages
from andon.i18n.deliveries import reason_shown, shown
from andon.notify.outcomes import (
    OTHER,
    OUTCOME_TEMPLATES,
    REASON_TEMPLATES,
    closed_before,
    outcome_code,
    reason_of,
)

AT = datetime(2025, 3, 4, 8, 5, tzinfo=UTC)
TRANSLATED = [language for language in shipped_languages() if language != "en"]


def _fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def delivery(code: str, params: dict[str, str], reason: str = "", reason_params=None):
    return AlertDelivery(
        at=AT,
        call_id="line-a.a1.C3",
        level=2,
        channel="mail",
        outcome=code.split("_")[0],
        detail="the English detail",
        code=code,
        params=params,
        reason=reason,
        reason_params=reason_params or {},
    )


def test_every_shipped_language_is_held_to_the_templates() -> None:
    assert {"zh_CN", "zh_TW", "de"} <= set(TRANSLATED)


@pytest.mark.parametrize("language", shipped_languages())
@pytest.mark.parametrize("code", sorted(OUTCOME_TEMPLATES))
def test_each_outcome_is_a_sentence_in_every_language(code: str, language: str) -> None:
    template = OUTCOME_TEMPLATES[code]
    params = {name: f"X{n}" for n, name in enumerate(_fields(template)) if name != "reason"}
    sent = delivery(code, params, "not_accepted")
    text = shown(sent, translator(language))
    english = shown(sent, translator("en"))
    assert all(value in text for value in params.values())
    assert "{" not in text and text != sent.detail
    if language != "en":
        assert text != english, f"{language}: {template!r} is shown in English"


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("code", sorted(REASON_TEMPLATES))
def test_each_reason_is_a_sentence_in_every_language(code: str, language: str) -> None:
    template = REASON_TEMPLATES[code]
    params = {name: f"X{n}" for n, name in enumerate(_fields(template))}
    text = reason_shown(code, params, translator(language))
    assert text is not None and "{" not in text
    assert text != template.format(**params), f"{language}: {template!r} is shown in English"
    assert all(value in text for value in params.values())


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "not delivered to Lena Fischer after 3 tries: the service did not accept it"),
        (
            "de",
            "nach 3 Versuchen nicht an Lena Fischer zugestellt: "
            "der Dienst hat sie nicht angenommen",
        ),
        ("zh_CN", "尝试 3 次后仍未能送达 Lena Fischer：服务未接受该消息"),
        ("zh_TW", "嘗試 3 次後仍未能送達 Lena Fischer：服務未接受該訊息"),
    ],
)
def test_a_failed_outcome_reads_as_one_sentence(language: str, expected: str) -> None:
    failed = delivery(
        "failed_to_tries", {"recipient": "Lena Fischer", "tries": "3"}, "not_accepted"
    )
    assert shown(failed, translator(language)) == expected


def test_the_services_own_words_are_shown_as_written() -> None:
    said = "A Connection error occurred sending JSON notification to 127.0.0.1."
    failed = delivery("failed", {}, OTHER, {"text": said})
    assert shown(failed, translator("de")) == f"nicht zugestellt: {said}"


def test_an_outcome_without_a_known_code_is_shown_as_its_english_detail() -> None:
    assert shown(delivery("", {}), translator("zh_CN")) == "the English detail"
    assert shown(delivery("lost_in_space", {}), translator("de")) == "the English detail"
    missing_field = delivery("sent_to", {})
    assert shown(missing_field, translator("de")) == "the English detail"
    unknown_reason = delivery("failed", {}, "gremlins")
    assert shown(unknown_reason, translator("de")) == "the English detail"


@pytest.mark.parametrize("code", sorted(REASON_TEMPLATES))
def test_a_reason_kept_in_english_leads_back_to_its_code(code: str) -> None:
    template = REASON_TEMPLATES[code]
    params = {name: f"value {n}" for n, name in enumerate(_fields(template))}
    assert reason_of(template.format(**params)) == (code, params)


def test_a_text_no_template_wrote_is_the_other_reason() -> None:
    assert reason_of("ConnectionError: refused") == (OTHER, {"text": "ConnectionError: refused"})
    assert reason_of(closed_before("resolved")) == ("resolved_first", {})
    assert reason_of(closed_before("closed")) == ("closed_first", {})


def test_the_outcome_code_follows_status_recipient_and_tries() -> None:
    assert outcome_code("sent", "Lena", 2) == "sent_to"
    assert outcome_code("sent", "", 1) == "sent_to_channel"
    assert outcome_code("failed", "Lena", 1) == "failed_to"
    assert outcome_code("failed", "Lena", 3) == "failed_to_tries"
    assert outcome_code("failed", "", 3) == "failed_tries"
    assert outcome_code("cancelled", "Lena", 3) == "cancelled_to"
    assert outcome_code("cancelled", "", 1) == "cancelled"
    assert {
        outcome_code(s, r, t)
        for s in ("sent", "failed", "cancelled")
        for r in ("", "x")
        for t in (1, 2)
    } == set(OUTCOME_TEMPLATES)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "in the role Maintenance and Team leader has an address on mail"),
        ("zh_CN", "的 维修和班组长 角色中"),
        ("zh_TW", "的 維修和班組長 角色中"),
        ("de", "in der Rolle Instandhaltung und Teamleiter hat"),
    ],
)
def test_the_roles_nobody_was_reached_in_are_listed_in_the_readers_language(
    language: str, expected: str
) -> None:
    # the notifier's English text, as its router writes it, leads back to its code and fields
    text = (
        "nobody on duty (shift night) in the role Maintenance, Team leader has an address on mail"
    )
    code, params = reason_of(text)
    assert (code, params["roles"]) == ("nobody_in_shift", "Maintenance, Team leader")
    assert expected in (reason_shown(code, params, translator(language)) or "")


def test_a_role_the_plant_named_itself_is_listed_as_written() -> None:
    params = {"shift": "early", "roles": "Instandhaltung Halle 3, Quality", "channel": "sms"}
    shown_de = reason_shown("nobody_in_shift", params, translator("de"))
    assert shown_de is not None and "Instandhaltung Halle 3 und Qualität" in shown_de
