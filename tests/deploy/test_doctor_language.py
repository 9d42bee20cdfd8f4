"""``andon doctor``'s findings and fixes in the reader's language."""

from __future__ import annotations

import os
import string
import subprocess
import sys
from pathlib import Path

from andon.bus.credentials import BrokerSettings
from andon.doctor import words
from andon.doctor.broker import check_broker
from andon.doctor.credentials import check_credentials
from andon.doctor.disk import check_disk
from andon.doctor.result import CheckResult, Status, render
from andon.i18n import translator

from .conftest import HOST, free_port

REPO = Path(__file__).resolve().parents[2]


def test_a_refused_broker_and_a_missing_directory_in_chinese(tmp_path: Path) -> None:
    port = free_port()
    results = [
        check_broker(BrokerSettings(host=HOST, port=port), timeout_s=2),
        check_disk(tmp_path / "gone"),
    ]

    lines = render(results, translator("zh_CN")).splitlines()

    assert lines[0] == f"FAIL  broker  {HOST}:{port}：那里没有服务在监听（连接被拒绝）"
    assert lines[1].endswith(
        f"修正：检查工厂文件中 [broker] 的 host 和 port、网络（ping {HOST}），以及"
    )
    assert lines[2].endswith("代理主机上 Mosquitto 是否在运行：systemctl status mosquitto")
    assert lines[3] == f"FAIL  disk    {tmp_path / 'gone'} 不存在"
    assert lines[-1] == "2 项检查失败"


def test_the_same_results_in_english_and_german(tmp_path: Path) -> None:
    path = tmp_path / "mqtt.password"
    path.write_text("secret\n")
    path.chmod(0o644)
    results = [check_credentials(BrokerSettings(username="station.a1", password_file=path))]

    assert render(results).splitlines()[0] == (
        f"WARN  credentials  password file {path} is readable by other users"
    )
    german = render(results, translator("de")).splitlines()
    assert german[0] == f"WARN  credentials  Passwortdatei {path} ist für andere Benutzer lesbar"
    assert german[1].strip() == f"Abhilfe: sudo chown andon: {path} && sudo chmod 600 {path}"
    assert german[-1] == "alle Prüfungen bestanden"


def test_each_finding_is_found_again_by_its_own_template() -> None:
    for language in ("zh_CN", "zh_TW", "de"):
        tr = translator(language)
        for template in words.TEMPLATES:
            names = dict.fromkeys(n for _, n, _, _ in string.Formatter().parse(template) if n)
            values = {name: f"v{index}x" for index, name in enumerate(names)}
            shown = render([CheckResult("c", Status.OK, template.format(**values))], tr)
            expected = tr.gettext(template).format(**values)
            assert shown.splitlines()[0] == f"OK    c  {expected.splitlines()[0]}", template


def test_the_command_follows_the_terminal(tmp_path: Path) -> None:
    config = tmp_path / "plant.toml"
    config.write_text('kind = "plant"\nschema = 1\n', encoding="utf-8")
    env = {**os.environ, "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "zh_TW.UTF-8"}

    done = subprocess.run(
        [sys.executable, "-m", "andon", "doctor", "--config", str(config)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
        check=False,
    )

    assert done.returncode == 1
    assert f"FAIL  config  {config}：site：缺少值：此鍵為必填項" in done.stdout
    assert done.stdout.rstrip().endswith("1 項檢查失敗")
