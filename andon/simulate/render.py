"""The shift report as text, from the report data of :func:`andon.simulate.report.build_report`.

Written in a language (``render_text(report, "zh_CN")``): headings and words from
the catalogs, durations and numbers by Babel, columns aligned in terminal cells.
Identifiers (call and stop ids, stations, reason codes, inputs) stay as written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from andon.i18n import N_, Translator, translator
from andon.i18n import formats as fmt
from andon.i18n.vocabulary import (
    CALL_STATUS_WORDS,
    CALL_TYPE_WORDS,
    STOP_CLASS_WORDS,
    STOP_WORDS,
    pace_word,
    reason_missing,
    who,
    word,
)
from andon.i18n.width import cells, pad
from andon.simulate.refusals import shown
from andon.simulate.report import MINOR_LABEL

if TYPE_CHECKING:
    from andon.config.plant import PlantFile

CAUSE_DETAILS = N_("{cause} ({details})")
"""An hour's cause and its note and who gave it."""
MISSING = ": reason missing"
"""How a Pareto key of the stops still without a reason ends (``line stop: reason missing``)."""


def clock(text: str | None) -> str:
    """The plant wall time of a report instant (``HH:MM:SS``, with milliseconds if any)."""
    if text is None:
        return "-"
    return datetime.fromisoformat(text).time().isoformat()


class _Words:
    def __init__(self, language: str, plant: PlantFile | None = None) -> None:
        self.tr: Translator = translator(language)
        self.language = self.tr.language
        self._ = self.tr.gettext
        self.plant = plant

    def line_name(self, line_id: str, name: str) -> str:
        """The line's name in this language when the plant gives one, else as reported."""
        try:
            return self.plant.line(line_id).name_in(self.language) if self.plant else name
        except KeyError:
            return name

    def shift(self, name: str) -> str:
        """A shift in this language when the plant gives its names, else its key."""
        return self.plant.calendar.shift_name(name, self.language) if self.plant else name

    def call_type(self, name: str) -> str:
        """A call type in this language: the plant's label, else andon's word, else the key."""
        found = self.plant.call_types.get(name) if self.plant is not None else None
        return found.label_in(self.language) if found else word(CALL_TYPE_WORDS, name, self.tr)

    def reason(self, entry: dict[str, Any]) -> tuple[str, str]:
        """A Pareto entry's reason code (``-`` when it has none) and label in this language."""
        key = entry["reason"]
        if entry["minor"]:
            return "-", self._(MINOR_LABEL)
        if key.endswith(MISSING):
            return "-", reason_missing(key.removesuffix(MISSING), self.tr)
        found = self.plant.reason(key) if self.plant is not None else None
        return key, found.label_in(self.language) if found else self._(entry["label"])

    def duration(self, value: float | None) -> str:
        return "-" if value is None else fmt.exact_duration(value, self.language)

    def percent(self, value: float | None) -> str:
        return "-" if value is None else fmt.percent(value, self.language)

    def number(self, value: float, digits: int = 0) -> str:
        return fmt.number(value, self.language, digits=digits)

    def headers(self, names: Sequence[str]) -> list[str]:
        return [self._(name) for name in names]


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], indent: str = "  ") -> list[str]:
    """Left-aligned columns (numbers right-aligned), measured in terminal cells."""
    body = [[str(cell) for cell in row] for row in rows]
    if not body:
        return [f"{indent}-"]
    widths = [max([cells(h), *(cells(r[i]) for r in body)]) for i, h in enumerate(headers)]
    numeric = [all(_numeric(r[i]) for r in body) for i in range(len(headers))]

    def line(values: Sequence[str]) -> str:
        out = [pad(c, w, right=n) for c, w, n in zip(values, widths, numeric, strict=True)]
        return (indent + "  ".join(out)).rstrip()

    return [line(headers), *(line(r) for r in body)]


def _numeric(text: str) -> bool:
    stripped = text.replace("\xa0", "").replace(" ", "").rstrip("%")
    return stripped.replace(".", "").replace(",", "").lstrip("+-−").isdigit()


def render_text(
    report: dict[str, Any], language: str = "en", plant: PlantFile | None = None
) -> str:
    """The whole report for a terminal, in ``language``; the names of lines, call types and
    reasons in it when the ``plant`` gives them."""
    w = _Words(language, plant)
    _ = w._
    scenario, run = report["scenario"], report["run"]
    out = [
        _("Scenario: {name} ({file})").format(name=scenario["name"], file=scenario["file"]),
        _("Simulated {start} to {end} ({zone}): {duration} in {wall} ({speed}x)").format(
            start=scenario["start"],
            end=scenario["end"],
            zone=scenario["timezone"],
            duration=w.duration(run["simulated_s"]),
            wall=w.duration(run["wall_s"]),
            speed=w.number(run["speed"]),
        ),
    ]
    if run.get("journal_dir"):
        out.append(_("Journals: {folder}").format(folder=run["journal_dir"]))
    for line in report["lines"]:
        for shift in line["shifts"]:
            out += ["", *_shift(line, shift, w)]
    if report["refused"]:
        out += ["", _("Refused inputs")]
        out += table(
            w.headers([N_("at"), N_("station"), N_("input"), N_("reason")]),
            [
                (clock(r["at"]), r["station"], r["input"], shown(r["reason"], w.tr))
                for r in report["refused"]
            ],
        )
    return "\n".join(out) + "\n"


def _shift(line: dict[str, Any], shift: dict[str, Any], w: _Words) -> list[str]:
    _ = w._
    fields = {
        "line": line["line"],
        "name": w.line_name(line["line"], line["name"]),
        "shift": w.shift(shift["shift"]),
        "start": clock(shift["start"]),
        "end": clock(shift["end"]),
        "until": clock(shift["until"]),
    }
    if shift["until"] != shift["end"]:
        title = _("== {line} ({name}) - shift {shift} {start}-{end}, until {until} ==")
    else:
        title = _("== {line} ({name}) - shift {shift} {start}-{end} ==")
    out = [title.format(**fields)]
    if shift["counting_station"] is None:
        out.append(_("No counting station on this line in the scenario: no plan or KPIs."))
    else:
        out += _production(shift, w)
    out += ["", _("Calls")]
    out += table(
        w.headers(
            [
                N_("call"),
                N_("station"),
                N_("type"),
                N_("raised"),
                N_("ack after"),
                N_("ack by"),
                N_("closed after"),
                N_("closed by"),
                N_("status"),
                N_("reason"),
                N_("levels"),
            ]
        ),
        [
            (
                c["call_id"],
                c["station"],
                w.call_type(c["type"]) + (f" {c['part']}" if c["part"] else ""),
                clock(c["raised_at"]),
                w.duration(c["acknowledged_after_s"]),
                who(c["acknowledged_by"], w.tr) or "-",
                w.duration(c["closed_after_s"]),
                who(c["closed_by"], w.tr) or "-",
                word(CALL_STATUS_WORDS, c["status"], w.tr),
                c["reason"] or "-",
                ", ".join(f"{e['level']}@{clock(e['at'])}" for e in c["escalations"]) or "-",
            )
            for c in shift["calls"]
        ],
    )
    if shift["material_lead_times"]:
        out += ["", _("Material lead times")]
        out += table(
            w.headers([N_("part"), N_("calls"), N_("mean"), N_("max")]),
            [
                (m["part"], m["calls"], w.duration(m["mean_s"]), w.duration(m["max_s"]))
                for m in shift["material_lead_times"]
            ],
        )
    out += ["", _("Line stops (from the journals)")]
    out += table(
        w.headers(
            [N_("station"), N_("cause"), N_("call"), N_("stopped"), N_("released"), N_("for")]
        ),
        [
            (
                s["station"],
                word(STOP_WORDS, s["cause"], w.tr),
                s["call_id"] or "-",
                clock(s["stopped_at"]),
                clock(s["released_at"]),
                w.duration(s["duration_s"]),
            )
            for s in shift["line_stops"]
        ],
    )
    out += ["", _("Line-stop relay (read from the simulated pins)")]
    out += table(
        w.headers([N_("station"), N_("relay set"), N_("released"), N_("for")]),
        [
            (r["station"], clock(r["set_at"]), clock(r["released_at"]), w.duration(r["duration_s"]))
            for r in shift["relay"]
        ],
    )
    out += ["", _("Stops")]
    out += table(
        w.headers(
            [
                N_("stop"),
                N_("station"),
                N_("source"),
                N_("from"),
                N_("to"),
                N_("working time"),
                N_("class"),
                N_("reason"),
            ]
        ),
        [
            (
                s["stop_id"],
                s["station"],
                word(STOP_WORDS, s["source"], w.tr),
                clock(s["started_at"]),
                clock(s["ended_at"]),
                w.duration(s["duration_s"]),
                word(STOP_CLASS_WORDS, s["class"], w.tr),
                s["reason"] or (f"→ {s['reason_key']}" if s["explained_by"] else "-"),
            )
            for s in shift["stops"]
        ],
    )
    return out


def _production(shift: dict[str, Any], w: _Words) -> list[str]:
    _ = w._
    kpi = shift["kpi"]
    pace = shift["pace"]
    out = [
        _("Counted at {station}; takt {takt}, ideal cycle {cycle}").format(
            station=shift["counting_station"],
            takt=w.duration(shift["takt_s"]),
            cycle=w.duration(shift["ideal_cycle_s"]),
        ),
        _(
            "Plan {plan}   Actual {good} good + {scrap} scrap   Difference {difference}   "
            "Achievement {achievement}"
        ).format(
            plan=w.number(shift["plan"], 2),
            good=w.number(shift["actual"]),
            scrap=w.number(shift["scrap"]),
            difference=fmt.signed(shift["difference"], w.language, digits=2),
            achievement=w.percent(shift["achievement"]),
        ),
        "",
        _("Pace timeline (final: {pace})").format(pace=pace_word(pace["final"], w.tr)),
    ]
    out += table(
        w.headers([N_("at"), N_("from"), N_("to"), N_("actual"), N_("plan")]),
        [
            (
                clock(p["at"]),
                pace_word(p["from"], w.tr),
                pace_word(p["to"], w.tr),
                p["actual"],
                w.number(p["planned"], 2),
            )
            for p in pace["changes"]
        ],
    )
    out += ["", _("Hourly table")]
    out += table(
        w.headers(
            [
                N_("hour"),
                N_("plan"),
                N_("actual"),
                N_("difference"),
                N_("variance"),
                N_("unexplained"),
                N_("cause"),
            ]
        ),
        [
            (
                f"{clock(h['start'])[:5]}-{clock(h['end'])[:5]}",
                w.number(h["plan"], 2),
                h["actual"],
                fmt.signed(h["difference"], w.language, digits=2),
                w.percent(h["variance"]),
                _("yes") if h["unexplained"] else "-",
                _cause(h["cause"], w.tr),
            )
            for h in shift["hours"]
        ],
    )
    out += ["", _("Downtime by reason (Pareto; each second counted once)")]
    out += table(
        w.headers([N_("reason"), N_("label"), N_("time")]),
        [(*w.reason(d), w.duration(d["seconds"])) for d in shift["downtime_by_reason"]],
    )
    out += [
        "",
        _(
            "Planned production time {planned}, downtime {downtime}, minor stops {minor}, "
            "run time {run}"
        ).format(
            planned=w.duration(kpi["planned_production_s"]),
            downtime=w.duration(kpi["downtime_s"]),
            minor=w.duration(kpi["minor_stop_s"]),
            run=w.duration(kpi["run_s"]),
        ),
        _("Availability {a}   Performance {p}   Quality {q}   OEE {oee}").format(
            a=w.percent(kpi["availability"]),
            p=w.percent(kpi["performance"]),
            q=w.percent(kpi["quality"]),
            oee=w.percent(kpi["oee"]),
        ),
    ]
    return out


def _cause(cause: dict[str, Any] | None, tr: Translator) -> str:
    if cause is None:
        return "-"
    text = cause["reason"]
    by = who(cause["by"], tr) if cause["by"] else ""
    details = ", ".join(x for x in (cause["note"], by) if x)
    return tr.gettext(CAUSE_DETAILS).format(cause=text, details=details) if details else text
