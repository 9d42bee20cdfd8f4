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


def test_the_causing_calls_of_the_pareto_start_under_their_heading() -> None:
    from andon.historian.render import PARETO_HEADERS, PARETO_TEXT, headers, pareto_rows, table
    from andon.historian.words import ReportWords

    many = [{"call_id": f"C{n}", "type": "equipment"} for n in range(1, 9)]
    summary = {
        "downtime_pareto": [
            {
                "reason": "BRK-MECH",
                "label": "",
                "seconds": 2100,
                "share": 0.7,
                "stops": 8,
                "calls": many,
            },
            {
                "reason": "MAT",
                "label": "",
                "seconds": 600,
                "share": 0.2,
                "stops": 1,
                "calls": [{"call_id": "C9", "type": "material"}],
            },
            {"reason": "", "label": "", "seconds": 300, "share": 0.1, "stops": 2, "calls": []},
        ]
    }
    w = ReportWords("en", None)
    head, rule, *rows = table(headers(PARETO_HEADERS, w), pareto_rows(summary, w), PARETO_TEXT)
    column = head.index("causing calls")
    assert rows[0][column:].startswith("C1 (Equipment), C2 (Equipment)")
    assert rows[1][column:] == "C9 (Material)"  # left-aligned, not padded to the longest list
    assert len(rows[2]) < column  # no calls: nothing after the stops
    assert all(line == line.rstrip() for line in (head, rule, *rows))
    assert rule.split()[-1] == "-" * len(rows[0][column:])  # as wide as the widest list
