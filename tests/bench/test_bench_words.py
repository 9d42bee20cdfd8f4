"""``andon bench`` writes its rows, references, targets, notes and Pi estimates in the
terminal's language, from the templates the rows were made from in English."""

from __future__ import annotations

import pytest

from andon.bench import figures as f
from andon.bench import suite
from andon.bench import words as W
from andon.bench.estimates import estimate
from andon.bench.figures import Reference, Report
from andon.bench.table import render
from andon.i18n import translator
from andon.i18n.sentences import find


def _texts(report: Report) -> list[str]:
    texts = []
    for figure in report.figures:
        texts += [figure.name, figure.target, figure.note, figure.skipped]
        if figure.reference is not None:
            texts.append(figure.reference.name)
    return [t.lstrip(" ") for t in texts if t]


@pytest.fixture(scope="module")
def without_broker() -> Report:
    """A quick run on a machine without Mosquitto: every row, the broker's ones skipped."""
    found = suite.find_mosquitto
    suite.find_mosquitto = lambda: None
    try:
        return suite.run_suite(quick=True)
    finally:
        suite.find_mosquitto = found


def test_every_text_of_a_run_is_written_from_a_template(without_broker: Report) -> None:
    texts = _texts(without_broker)
    assert len(texts) > 60
    assert [t for t in texts if find(t, W.TEMPLATES) is None] == []
    # the JSON report keeps the English
    data = without_broker.to_dict()
    assert data["figures"][0]["name"] == "press → lamp output (station)"


def test_a_run_reads_in_the_terminals_language(without_broker: Report) -> None:
    chinese = render(without_broker, translator("zh_CN"))
    assert "按键 → 灯输出（工位）" in chinese
    assert "  其中工位自身的处理（HAL 事件 → 灯）" in chinese  # the indentation kept
    assert "未测量：未安装 mosquitto 程序（apt-get install mosquitto）" in chinese
    assert "看板接收，100 条产线 × 10 个工位" in chinese
    assert "保留状态，200 个已关闭呼叫：大小" in chinese
    assert "逐条列出（状态 v1）" in chinese and "≤ 8 kB" in chinese
    assert "按键 → 灯输出（工位）：从松开的边沿算起，它唤醒工位的循环" in chinese  # a note
    german = render(without_broker, translator("de"))
    assert "Tastendruck → Lampenausgang (Station)" in german
    assert "Start bis zum ersten Lampenausgang (2000 Ereignisse)" in german
    assert "press → lamp" not in german and "closed calls" not in german


def test_targets_references_and_notes_with_figures_are_translated() -> None:
    report = Report(machine={"cpu": "Test CPU", "nproc": 2, "python": "3.11.7"}, quick=False)
    report.figures += [
        f.latency(
            "press_event",
            W.PRESS_EVENT,
            [1.0, 2.0],
            reference=Reference(W.RAW_ROUND_TRIP_P99, 1.5, "ms"),
            limit_ms=6.5,
            target=W.P99_RAW_MARGIN.format(margin="5", limit="6.5"),
        ),
        f.single(
            "historian_ingest",
            W.HISTORIAN_INGEST.format(lines=100, per_line=10),
            "events/s",
            9000.0,
            reference=Reference(W.BOARD_INGEST, 12000.0, "events/s"),
            target=W.HISTORIAN_RATE.format(rate="5,000"),
            passed=False,
            note=W.NOTE_HISTORIAN.format(events=7000, lost=0, mib="96"),
        ),
    ]
    text = render(report, translator("zh_TW"))
    assert "按鍵 → 一般 MQTT 訂閱端收到事件" in text
    assert "原始往返 p99 1.50 ms" in text
    assert "p99 ≤ 原始 p99 + 5 毫秒（6.5 毫秒）" in text
    assert "≥ 5,000 事件/秒 且 ≥ 1 × 看板，不遺失事件" in text
    assert "7000 個事件，從首個收到到最後一個提交；遺失 0；每百萬事件 96 MiB SQLite" in text


def test_the_pi_estimates_read_in_the_terminals_language() -> None:
    report = Report(machine={}, quick=True)
    report.figures += [
        f.single("cpu_station", W.CPU_STATION, "ms", 0.5),
        f.single("cpu_board_process", W.CPU_BOARD_PROCESS, "ms", 2.0),
        f.single("cpu_station_idle", W.CPU_STATION_IDLE, "%", 30.0),
    ]
    report.estimates = estimate(report)
    english = [e["text"] for e in report.estimates]
    assert english[0].startswith("Raspberry Pi 5 (assumed ×2, range ×1.5–×2.5): station 1.0 ms")
    chinese = render(report, translator("zh_CN"))
    assert "Raspberry Pi 5（假定 ×2，范围 ×1.5–×2.5）：工位每个事件 1.0 毫秒 CPU" in chinese
    assert "工位空闲时需要超过一整个核" in chinese  # ×10 of 30 %
    assert "；看板每个事件 20.0 毫秒 CPU" in chinese
    german = render(report, translator("de"))
    assert "Station im Leerlauf ≈ 60 % eines Kerns" in german


TEXT_ARGUMENTS = {
    # call → the positions and keywords that hold a text a person reads
    "latency": ((1,), ("name", "note", "target")),
    "single": ((1,), ("name", "note", "target")),
    "skipped": ((1, 3), ("name", "why", "target")),
    "Figure": ((1,), ("name", "note", "target", "skipped")),
    "Reference": ((0,), ("name",)),
}


def test_no_row_of_any_benchmark_is_written_outside_the_templates() -> None:
    """Every row of every ``andon bench`` run (plain, --web, --sites, --history) names its
    texts from :mod:`andon.bench.words`: no literal text and no f-string in their place."""
    import ast
    from pathlib import Path

    import andon.bench

    found = []
    for path in sorted(Path(andon.bench.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            called = ast.unparse(node.func).rsplit(".", 1)[-1]
            if called not in TEXT_ARGUMENTS:
                continue
            positions, keywords = TEXT_ARGUMENTS[called]
            values = [node.args[i] for i in positions if i < len(node.args)]
            values += [k.value for k in node.keywords if k.arg in keywords]
            for value in values:
                literal = isinstance(value, ast.Constant) and value.value not in ("", "0")
                if literal or isinstance(value, ast.JoinedStr):
                    found.append(f"{path.name}:{node.lineno}: {ast.unparse(value)}")
    assert found == []
