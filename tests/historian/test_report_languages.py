"""The shift report in the plant's language: words from the catalogs, numbers by Babel."""

from __future__ import annotations

import csv
import io

import pytest

from andon.historian.formats import render
from andon.historian.words import CHANGE_FIGURES
from andon.i18n import translator
from andon.i18n.vocabulary import word
from andon.i18n.width import cells

from .test_report import report_from, run, site  # noqa: F401  (fixtures)


@pytest.fixture
def report(sqlite_url, run, site) -> dict:  # noqa: F811
    return report_from(sqlite_url, run, site, compare=True)


def test_a_chinese_table_lines_its_columns_up_in_cells(report, site) -> None:  # noqa: F811
    text = render(report, "table", "zh_CN", site.plant)
    assert text.startswith("andon 报告：")
    assert "产线" not in text.splitlines()[0], "the line's name says it is a line"
    assert "可动率（A）" in text and "设备综合效率 = A x P x Q" in text
    assert "停机原因（柏拉图）" in text
    summary = text.split("\n\n")[1].splitlines()
    rule = summary[1]
    assert all(set(part) == {"-"} for part in rule.split())
    assert {cells(row) for row in summary[2:]} <= {cells(rule)}


def test_german_numbers_and_dates(report, site) -> None:  # noqa: F811
    text = render(report, "table", "de", site.plant)
    assert "Verfügbarkeit (A)" in text
    assert "04.03.2026" in text
    kpi = report["summary"]["kpi"]
    shown = f"{kpi['availability'] * 100:.1f}".replace(".", ",") + "\xa0%"
    assert shown in text


def test_csv_headers_speak_the_language_and_values_stay_machine_readable(
    report,
    site,  # noqa: F811
) -> None:
    english = list(csv.reader(io.StringIO(render(report, "csv", "en", site.plant))))
    chinese = list(csv.reader(io.StringIO(render(report, "csv", "zh_TW", site.plant))))
    assert english[0][:3] == ["line", "shift", "start"]
    assert chinese[0][:3] == ["產線", "班次", "開始"]
    assert english[1:] == chinese[1:]


@pytest.mark.parametrize(
    ("language", "lang", "first_cjk"),
    [("zh_CN", "zh-Hans-CN", "Noto Sans CJK SC"), ("zh_TW", "zh-Hant-TW", "Noto Sans CJK TC")],
)
def test_html_declares_its_language_and_a_local_cjk_font_stack(
    report,
    site,  # noqa: F811
    language: str,
    lang: str,
    first_cjk: str,
) -> None:
    html = render(report, "html", language, site.plant)
    assert f'<html lang="{lang}">' in html
    family = html.split("font-family:", 1)[1].split(";", 1)[0]
    cjk = [name for name in family.split(", ") if "CJK" in name]
    assert cjk[0] == f'"{first_cjk}"' and family.endswith("sans-serif")
    for remote in ("http://", "https://", "@import", "@font-face", "url("):
        assert remote not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_the_oee_factor_and_the_quality_call_are_two_words_in_chinese(report, site) -> None:  # noqa: F811
    rows = render(report, "table", "zh_CN", site.plant).splitlines()
    (factor,) = [row for row in rows if row.startswith("良品率（Q）")]
    assert "%" in factor
    (calls,) = [row for row in rows if row.split()[:2] == ["呼叫类型", "质量"]]
    assert "良品率" not in calls
    assert not [row for row in rows if "质量" in row and row is not calls]
    assert any("line-a.a3.C3（设备）" in row for row in rows)  # the Pareto's calls, full-width
    assert word(CHANGE_FIGURES, "quality", translator("zh_CN")) == "良品率"
    headers = next(csv.reader(io.StringIO(render(report, "csv", "zh_CN", site.plant))))
    assert "良品率" in headers and "质量" not in headers
