"""``andon <command> --help`` describes the command and its options in the terminal's
language, and the list of commands too."""

from __future__ import annotations

import os
import subprocess
import sys

from andon.i18n.width import cells
from tests.support.cli import andon_in


def _flat(text: str) -> str:
    """The help with its line wrapping undone: a line broken between two CJK glyphs is
    joined without a space (Chinese has none between words), another with one."""
    joined = ""
    for line in (line.strip() for line in text.split("\n")):
        if not line:
            continue
        if joined and cells(joined[-1]) == 1 and cells(line[0]) == 1:
            joined += " "
        joined += line
    return " ".join(joined.split())


def test_report_help_is_german() -> None:
    done = andon_in("de_DE.UTF-8", "report", "--help")
    assert done.returncode == 0, done.stderr
    text = _flat(done.stdout)
    assert "Bericht über eine Linie, den Bereich oder den Standort" in text
    assert "--line ID eine Linie" in text
    assert "--week die Woche, in die --at fällt" in text
    assert "die Historie (Standard: sqlite:////var/lib/andon/history.sqlite)" in text
    assert "the history" not in text and "one line" not in text


def test_translations_help_is_traditional_chinese() -> None:
    done = andon_in("zh_TW.UTF-8", "translations", "--help")
    assert done.returncode == 0, done.stderr
    text = _flat(done.stdout)
    assert "更新、編譯並檢查訊息目錄（新增語言：docs/i18n.md）" in text
    assert "只處理這種語言（可重複）" in text


def test_the_list_of_commands_names_report_in_simplified_chinese() -> None:
    done = andon_in("zh_CN.UTF-8", "--help")
    assert done.returncode == 0, done.stderr
    text = _flat(done.stdout)
    assert "车间安灯与生产进度终端。" in text
    assert "从历史库报告一条产线" in text


def test_english_help_is_unchanged() -> None:
    text = _flat(andon_in("C.UTF-8", "report", "--help").stdout)
    assert "--line ID one line" in text
    assert "--shift the shift containing --at: the last one started by --at (the default)" in text


def test_demo_help_is_german() -> None:
    done = andon_in("de_DE.UTF-8", "demo", "--help")
    assert done.returncode == 0, done.stderr
    text = _flat(done.stdout)
    assert "die Demo starten: eingebauter Broker, simulierte Stationen" in text
    assert "--headless ohne Board: nur die Stationen und Werker laufen lassen" in text
    assert "(Standard 10)" in text and "(Standard 127.0.0.1:8080, sonst ein freier Port)" in text
    assert "time acceleration" not in text and "no web view" not in text


def test_the_list_of_commands_names_board_and_historian_in_traditional_chinese() -> None:
    text = _flat(andon_in("zh_TW.UTF-8", "--help").stdout)
    assert "顯示看板檔案的生產進度看板" in text
    assert "追蹤本廠每個工位的事件流" in text


def test_sim_help_lists_its_actions_in_simplified_chinese() -> None:
    done = andon_in("zh_CN.UTF-8", "sim", "--help")
    assert done.returncode == 0, done.stderr
    text = _flat(done.stdout)
    assert "操作一个运行中的模拟工位" in text
    assert "press 按下并松开安灯按钮" in text
    assert "--timeout SECONDS 等待工位应答的时长（默认 10）" in text
    assert "press and release" not in text


def test_watchdog_help_names_its_defaults_in_german() -> None:
    text = _flat(andon_in("de_DE.UTF-8", "watchdog", "--help").stdout)
    assert "bevor er neu gestartet wird (Standard 30)" in text
    assert "die kürzeste Zeit zwischen zwei Neustarts (Standard 120)" in text


def test_the_version_option_is_described_in_german() -> None:
    text = _flat(andon_in("de_DE.UTF-8", "--help").stdout)
    assert "--version die Version von andon zeigen und beenden" in text
    assert "show program's version" not in text


def test_the_bench_publishers_help_is_traditional_chinese() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "andon.bench.paced_publisher", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "zh_TW.UTF-8"},
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    text = _flat(done.stdout)
    assert "以穩定的速率發布 FILE 中經 pickle 儲存的訊息" in text
    assert "--rate N 每秒發布多少則訊息" in text
    assert "messages a second" not in text
