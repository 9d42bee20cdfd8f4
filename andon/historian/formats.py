"""A report in the format asked: a terminal table, CSV, HTML or JSON.

Table, CSV and HTML speak the report's language (:class:`ReportWords`); JSON is
for programs and stays language-free.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from andon.historian.html import render_html
from andon.historian.render import render_csv, render_table
from andon.historian.words import ReportWords

if TYPE_CHECKING:
    from andon.config.plant import PlantFile


def render(
    report: dict[str, Any], fmt: str, language: str = "en", plant: PlantFile | None = None
) -> str:
    """``report`` in ``fmt`` (``table``, ``csv``, ``html``, ``json``), written in ``language``."""
    if fmt == "json":
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    words = ReportWords(language, plant)
    if fmt == "csv":
        return render_csv(report, words)
    if fmt == "html":
        return render_html(report, words)
    return render_table(report, words)
