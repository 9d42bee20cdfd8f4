"""The wheel ships the compiled catalogs of every shipped language and the browser page.

Built here with pip, as a release is (the same build backend and package data).
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from andon.i18n import maintain, shipped_languages

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_carries_the_compiled_catalogs(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [wheel] = tmp_path.glob("andon-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for language in shipped_languages():
            if language == "en":
                continue
            mo = f"andon/i18n/locales/{language}/LC_MESSAGES/andon.mo"
            assert mo in names, f"{mo} is not in the wheel"
            assert archive.read(mo) == maintain.compiled(language), f"{mo} is not compiled"
        assert "andon/board/page/app_index.html" in names
