"""Fixtures for the configuration tests: write files, run ``andon check-config``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from andon.cli.main import main

CheckResult = tuple[int, str, list[str]]


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a file into the test's directory and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def check(capsys: pytest.CaptureFixture[str]) -> Callable[..., CheckResult]:
    """Run ``andon check-config`` in-process: (exit code, stdout, stderr lines)."""

    def _run(*paths: Path | str) -> CheckResult:
        capsys.readouterr()
        code = main(["check-config", *(str(p) for p in paths)])
        out, err = capsys.readouterr()
        return code, out, err.splitlines()

    return _run
