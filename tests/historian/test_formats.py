"""One switch between a report's formats, for the single-site and the across-sites report."""

from __future__ import annotations

import json

import pytest

from andon.historian.formats import FORMATS, SITE_REPORT, render, written
from andon.historian.sites_render import render_sites


def test_json_is_the_same_for_both_reports_and_language_free() -> None:
    report = {"period": {"kind": "shift"}, "name": "Endmontage 1 – 总装一线"}
    for language in ("en", "de", "zh_CN"):
        assert render(report, "json", language) == render_sites(report, "json", language)
    assert json.loads(render(report, "json")) == report
    assert "总装一线" in render(report, "json")  # not escaped


def test_a_format_neither_report_has_is_refused_naming_the_formats() -> None:
    for fmt in ("pdf", "", "JSON"):
        with pytest.raises(ValueError, match=r"format: expected one of table, csv, html, json"):
            written({}, fmt, SITE_REPORT)
        with pytest.raises(ValueError, match=r"format: expected one of"):
            render_sites({}, fmt)
    assert FORMATS == ("table", "csv", "html", "json")
