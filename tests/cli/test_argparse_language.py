"""argparse's own words (usage, a missing or wrong argument) and the argument errors of
andon's options are written in the terminal's language."""

from __future__ import annotations

from tests.support.cli import andon_in


def test_a_bad_bench_number_is_refused_in_the_terminals_language() -> None:
    german = andon_in("de_DE.UTF-8", "bench", "--history", "--days", "0")
    chinese = andon_in("zh_CN.UTF-8", "bench", "--history", "--lines", "x")
    english = andon_in("C.UTF-8", "bench", "--history", "--days", "0")

    assert german.returncode == chinese.returncode == english.returncode == 2
    assert german.stderr.endswith(  # wrapped at the terminal's width (80 without one)
        "andon bench: Fehler: Argument --days: erwartet eine ganze Zahl von mindestens\n"
        "1, erhalten: '0'\n"
    )
    assert chinese.stderr.endswith(
        "andon bench：错误：参数 --lines：应为至少为 1 的整数，实际为 'x'\n"
    )
    assert english.stderr.endswith(
        "andon bench: error: argument --days: expected a whole number of at least 1,\ngot '0'\n"
    )


def test_argparse_says_usage_and_its_errors_in_the_terminals_language() -> None:
    missing = andon_in("zh_CN.UTF-8", "report")
    unknown = andon_in("zh_TW.UTF-8", "bogus")
    choice = andon_in("de_AT.UTF-8", "translations", "nothing")
    usage = andon_in("de_DE.UTF-8", "check-config", "--help")

    assert missing.returncode == unknown.returncode == choice.returncode == 2
    assert missing.stderr.startswith("用法：andon report")
    assert missing.stderr.endswith("andon report：错误：缺少以下参数：--config\n")
    assert "andon：錯誤：參數 COMMAND：無效的選擇：'bogus'（可選：'bench', " in unknown.stderr
    assert "Fehler: Argument action: ungültige Auswahl: 'nothing'\n(möglich: " in choice.stderr
    assert usage.returncode == 0
    assert usage.stdout.startswith("Aufruf: andon check-config")
    assert "Positionsargumente:" in usage.stdout and "Optionen:" in usage.stdout
    assert "diese Hilfe zeigen und beenden" in usage.stdout


def test_english_stays_argparses_own() -> None:
    done = andon_in("C.UTF-8", "report")
    assert done.stderr.startswith("usage: andon report")
    assert done.stderr.endswith(
        "andon report: error: the following arguments are required: --config\n"
    )
