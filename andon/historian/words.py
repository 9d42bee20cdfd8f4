"""The words and numbers of a report in one language: headings, figures, names, formats.

Terminal, CSV and HTML reports share these; JSON stays language-free (keys and
raw numbers for programs). Names from the plant file (lines, reasons, call
types) take the plant's translations when the report knows the plant.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from andon.i18n import DEFAULT_LANGUAGE, N_, translator
from andon.i18n import formats as fmt
from andon.i18n.vocabulary import (
    CALL_TYPE_WORDS,
    FIGURE_WORDS,
    MINOR_STOPS,
    reason_missing,
    word,
)
from andon.simulate.figures import MINOR

if TYPE_CHECKING:
    from andon.config.plant import PlantFile

SCOPE_WORDS = {"site": N_("site"), "area": N_("area"), "line": N_("line")}
PERIOD_WORDS = {
    "shift": N_("shift"),
    "day": N_("day"),
    "week": N_("week"),
    "month": N_("month"),
    "range": N_("range"),
}
CHANGE_FIGURES = {
    "actual": FIGURE_WORDS["actual"],
    "plan": FIGURE_WORDS["plan"],
    "calls": N_("Calls"),
    "downtime_s": N_("Downtime (min)"),
    "availability": FIGURE_WORDS["availability"],
    "performance": FIGURE_WORDS["performance"],
    "quality": FIGURE_WORDS["quality"],
    "oee": FIGURE_WORDS["oee"],
    "mtta_s": N_("MTTA (min)"),
    "mttr_s": N_("MTTR (min)"),
    "too_fast_s": N_("Too fast (min)"),
    "too_slow_s": N_("Too slow (min)"),
}
"""The figures of ``changes`` (the comparison with the previous period); times in minutes,
as in the report's other tables."""
GROUP_WORDS = {"type": N_("call type"), "station": N_("station"), "line": N_("line")}


class ReportWords:
    """How one report writes its words and numbers (``language``), knowing the plant or not."""

    def __init__(self, language: str = DEFAULT_LANGUAGE, plant: PlantFile | None = None) -> None:
        self.tr = translator(language)
        self.language = self.tr.language
        self.plant = plant

    def _(self, message: str) -> str:
        return self.tr.gettext(message)

    # --- numbers and times -----------------------------------------------------

    def pct(self, value: float | None) -> str:
        return "-" if value is None else fmt.percent(value, self.language)

    def minutes(self, seconds: float | None) -> str:
        return "-" if seconds is None else fmt.number(seconds / 60, self.language, digits=1)

    def number(self, value: float, digits: int = 1) -> str:
        return fmt.number(value, self.language, digits=digits)

    def signed(self, value: float) -> str:
        return fmt.signed(value, self.language, digits=1)

    def when(self, iso: str) -> str:
        """An ISO instant of the report (in the plant's zone) as date and time of day."""
        return fmt.date_time(datetime.fromisoformat(iso), self.language)

    def clock(self, iso: str) -> str:
        return fmt.time_of_day(datetime.fromisoformat(iso), self.language)

    def day(self, iso: str) -> str:
        return fmt.date(datetime.fromisoformat(iso), self.language)

    def recorded(self, summary: dict[str, Any]) -> str:
        """How many of a summary's shifts are recorded, e.g. "3 of 21"."""
        shifts = summary["shifts"]
        return self._("{recorded} of {total}").format(
            recorded=self.number(shifts["recorded"], 0), total=self.number(shifts["total"], 0)
        )

    def unrecorded_note(self, summary: dict[str, Any], previous: bool = False) -> str | None:
        """The sentence saying how many shifts without any record are left out, if any."""
        shifts = summary["shifts"]
        if not shifts["unrecorded"]:
            return None
        if previous:
            text = self.tr.ngettext(
                "Previous period: {recorded} of {total} shifts recorded; {unrecorded} without "
                "any record is left out of every figure.",
                "Previous period: {recorded} of {total} shifts recorded; {unrecorded} without "
                "any record are left out of every figure.",
                shifts["unrecorded"],
            )
        else:
            text = self.tr.ngettext(
                "{recorded} of {total} shifts recorded; {unrecorded} without any record is "
                "left out of every figure.",
                "{recorded} of {total} shifts recorded; {unrecorded} without any record are "
                "left out of every figure.",
                shifts["unrecorded"],
            )
        return text.format(
            recorded=self.number(shifts["recorded"], 0),
            total=self.number(shifts["total"], 0),
            unrecorded=self.number(shifts["unrecorded"], 0),
        )

    # --- names -------------------------------------------------------------------

    def line(self, line_id: str) -> str:
        if self.plant is not None:
            try:
                return self.plant.line(line_id).name_in(self.language)
            except KeyError:
                pass
        return line_id

    def shift(self, name: str) -> str:
        """A shift (its key in the data) as people read it: the plant's ``names``."""
        if self.plant is not None:
            return self.plant.calendar.shift_name(name, self.language)
        return name

    def reason(self, code: str, label: str | None) -> str:
        """A Pareto key or reason code: the plant's label, a minor stop or a missing reason."""
        found = self.plant.reason(code) if self.plant is not None and code else None
        if found is not None:
            return found.label_in(self.language)
        if not code:
            return self._(FIGURE_WORDS["unexplained"])
        if code == MINOR:
            return self._(MINOR_STOPS)
        if code.endswith(": reason missing"):
            return reason_missing(code.removesuffix(": reason missing"), self.tr)
        return label or code

    def call_type(self, name: str) -> str:
        found = self.plant.call_types.get(name) if self.plant is not None else None
        return found.label_in(self.language) if found else word(CALL_TYPE_WORDS, name, self.tr)

    def title(self, report: dict[str, object]) -> str:
        period = report["period"]
        scope = report["scope"]
        assert isinstance(period, dict) and isinstance(scope, dict)
        fields = {
            "period": word(PERIOD_WORDS, period["kind"], self.tr),
            "start": self.when(period["start"]),
            "end": self.when(period["end"]),
        }
        if scope["kind"] == "line":
            # A line's name says it is a line ("PCB line B"): no scope word before it.
            return self._("andon report: {name}, {period} {start} to {end}").format(
                name=self.line(scope["id"]), **fields
            )
        return self._("andon report: {scope} {name}, {period} {start} to {end}").format(
            scope=word(SCOPE_WORDS, scope["kind"], self.tr), name=scope["id"], **fields
        )
