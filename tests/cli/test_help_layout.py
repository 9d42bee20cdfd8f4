"""``andon --help``, a command's help and argparse's errors fit the terminal in cells, with
every heading in the reader's language (``用法：``, ``位置参数：``, ``Optionen:``)."""

from __future__ import annotations

import pytest

from andon.cli import parsing
from andon.cli.parser import Parser
from andon.i18n.width import CLOSING, cells, wrap
from tests.support.cli import andon_in

HEADINGS = {
    "zh_CN.UTF-8": ("用法：", "位置参数：", "选项："),
    "zh_TW.UTF-8": ("用法：", "位置參數：", "選項："),
    "de_DE.UTF-8": ("Aufruf: ", "Positionsargumente:", "Optionen:"),
}
ENGLISH = ("usage:", "options:", "positional arguments:", "the following arguments")


def _fits(text: str, columns: int) -> None:
    wide = [line for line in text.split("\n") if cells(line) > columns]
    assert not wide, f"wider than {columns} cells: {wide}"


@pytest.mark.parametrize("columns", [80, 60])
@pytest.mark.parametrize("lang", sorted(HEADINGS))
def test_help_and_a_missing_argument_fit_and_say_no_english_heading(
    lang: str, columns: int
) -> None:
    usage, positional, options = HEADINGS[lang]
    env = {"COLUMNS": str(columns)}
    top = andon_in(lang, "--help", env=env)
    report = andon_in(lang, "report", "--help", env=env)
    missing = andon_in(lang, "report", env=env)

    assert top.returncode == report.returncode == 0 and missing.returncode == 2
    for text in (top.stdout, report.stdout, missing.stderr):
        _fits(text, columns)
        assert not any(word in text for word in ENGLISH), text
        assert text.startswith(usage)
    lines = top.stdout.split("\n")
    assert positional in lines and options in lines
    assert options in report.stdout.split("\n")


def test_the_usage_continues_under_the_first_argument_in_chinese() -> None:
    done = andon_in("zh_TW.UTF-8", "report", "--help", env={"COLUMNS": "60"})

    usage = done.stdout.split("\n\n", 1)[0].split("\n")
    assert usage[0].startswith("用法：andon report [-h]")
    indent = cells("用法：andon report ")
    assert len(usage) > 1
    assert all(line[:indent] == " " * indent and line[indent] != " " for line in usage[1:])


def test_chinese_help_breaks_between_glyphs_never_before_a_comma() -> None:
    done = andon_in("zh_CN.UTF-8", "--help", env={"COLUMNS": "50"})

    lines = [line.strip() for line in done.stdout.split("\n")]
    _fits(done.stdout, 50)
    assert not [line for line in lines if line and line[0] in CLOSING]
    # the description of report is one text, not cut and run on past the terminal
    joined = "".join(lines)
    assert "停机时间柏拉图、平均响应时间、平均修复时间、生产实绩管理表" in joined


def test_wrap_keeps_words_and_glyphs_whole() -> None:
    assert wrap("the history of the plant", 11) == ["the history", "of the", "plant"]
    assert wrap("显示看板文件的生产进度看板（终端、看板屏）", 12) == [
        "显示看板文件",
        "的生产进度看",
        "板（终端、看",
        "板屏）",
    ]
    assert wrap("MTTA/MTTR、生产", 12) == ["MTTA/MTTR、", "生产"]
    assert wrap("", 10) == []


def test_a_group_of_the_parsers_own_is_headed_with_the_catalogs_colon(monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LANGUAGE", "zh_CN")
    parsing.speak()
    parser = Parser(prog="andon x")
    group = parser.add_argument_group("设备")
    group.add_argument("--pin", help="一个很长的中文帮助文本，" * 8)

    text = parser.format_help()

    lines = text.split("\n")
    assert lines[0] == "用法：andon x [-h] [--pin PIN]"
    assert "设备：" in lines and "选项：" in lines
    _fits(text, 80)
    helped = [line for line in lines if "中文帮助文本" in line]
    assert len(helped) > 1 and all(cells(line) >= 60 for line in helped[:-1])
