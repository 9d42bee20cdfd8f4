"""A report in the format asked: a terminal table, CSV, HTML or JSON.

Table, CSV and HTML speak the report's language (:class:`ReportWords`); JSON is
for programs and stays language-free. :func:`written` is the one switch between
the formats, for the single-site report (:func:`render`) and the report across
sites (:func:`andon.historian.sites_render.render_sites`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from andon.historian.html import render_html
from andon.historian.render import render_csv, render_table
from andon.historian.words import ReportWords

if TYPE_CHECKING:
    from andon.config.plant import PlantFile

FORMATS = ("table", "csv", "html", "json")
"""The formats a report is written in."""

Writer = Callable[[dict[str, Any], ReportWords], str]
"""Writes a report in one format with the words of its language."""


@dataclass(frozen=True)
class Writers:
    """How one kind of report is written as a table, CSV and HTML."""

    table: Writer
    csv: Writer
    html: Writer


def written(
    report: dict[str, Any],
    fmt: str,
    writers: Writers,
    language: str = "en",
    plant: PlantFile | None = None,
) -> str:
    """``report`` in ``fmt`` (one of :data:`FORMATS`) by ``writers``, in ``language``.

    Raises :class:`ValueError` naming the formats for another ``fmt``.
    """
    if fmt == "json":
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    if fmt not in FORMATS:
        raise ValueError(f"format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    writer: Writer = getattr(writers, fmt)
    return writer(report, ReportWords(language, plant))


SITE_REPORT = Writers(table=render_table, csv=render_csv, html=render_html)
"""The single-site report's writers."""


def render(
    report: dict[str, Any], fmt: str, language: str = "en", plant: PlantFile | None = None
) -> str:
    """``report`` in ``fmt`` (``table``, ``csv``, ``html``, ``json``), written in ``language``."""
    return written(report, fmt, SITE_REPORT, language, plant)
