"""Running the real ``andon`` command in a child process, in a chosen terminal language."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

DEMO_CHANNEL_URLS = {
    "ANDON_NOTIFY_MAIL_URL": "json://127.0.0.1:9/?to={to}",
    "ANDON_NOTIFY_PUSH_URL": "json://127.0.0.1:9/?to={to}",
    "ANDON_NOTIFY_CHAT_URL": "json://127.0.0.1:9/",
}
"""The demo notifier's channels (never sent to: the tests stop before it sends)."""


def andon_in(
    lang: str,
    *args: str,
    cwd: Path = ROOT,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """``andon ARGS`` with the terminal's language ``lang`` (``LANG``; the variables that
    would override it cleared) and ``env`` added; its output as text, never raising."""
    language = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": lang}
    return subprocess.run(
        [sys.executable, "-m", "andon", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {}), **language},
        cwd=cwd,
        timeout=timeout,
        check=False,
    )
