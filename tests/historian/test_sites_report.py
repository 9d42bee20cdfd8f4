"""``andon report`` across the sites of one enterprise history: selection, one row per site.

Two sites run the scripted shift (the demo plant under the ids plant-north and
plant-south) into one database, as the enterprise historian keeps them. Each
site's row is that shift's figures worked out by hand in test_report.py; the
total is worked out again from the summed times, never averaged.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from andon.historian.simulation import store_simulation
from andon.simulate.load import load_scenario
from andon.simulate.runner import run_scenario

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "firmware_config" / "demo"
SCENARIO = ROOT / "firmware_config" / "scenarios" / "shift.toml"
SITES = ("plant-north", "plant-south")
AT = "2026-03-04T10:00"


def andon(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "andon", *args], capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def enterprise(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[Path]]:
    """(database URL, site folders): the scripted shift at both sites, one history."""
    root = tmp_path_factory.mktemp("enterprise")
    url = f"sqlite:///{root / 'enterprise.sqlite'}"
    folders = []
    for site in SITES:
        folder = root / site
        shutil.copytree(DEMO, folder)
        plant = folder / "plant.toml"
        plant.write_text(plant.read_text().replace('id = "demo-plant"', f'id = "{site}"'))
        store_simulation(run_scenario(load_scenario(SCENARIO, folder)), url)
        folders.append(folder)
    return url, folders


def report(enterprise: tuple[str, list[Path]], *args: str) -> subprocess.CompletedProcess[str]:
    url, folders = enterprise
    configs = [a for folder in folders for a in ("--config", str(folder))]
    return andon("report", *configs, "--database", url, "--at", AT, *args)


def as_json(done: subprocess.CompletedProcess[str]) -> dict:
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_one_row_per_site_and_the_total_from_the_summed_times(enterprise) -> None:
    data = as_json(report(enterprise, "--line", "line-a", "--format", "json"))
    assert [r["site"] for r in data["sites"]] == list(SITES)
    for row in data["sites"]:
        s = row["summary"]
        assert (s["plan"], s["actual"], s["scrap"], s["calls"]) == (168.75, 162, 2, 5)
        assert s["kpi"]["downtime_s"] == 1090  # the breakdown and the help call's line stop
        assert row["period"]["start"] == "2026-03-04T06:00:00+01:00"
    total = data["summary"]
    assert (total["plan"], total["actual"], total["scrap"]) == (337.5, 324, 4)  # 2 × 168.75
    k = total["kpi"]
    assert (k["planned_production_s"], k["downtime_s"], k["run_s"]) == (54_000, 2_180, 51_820)
    assert (k["availability"], k["performance"], k["quality"], k["oee"]) == (
        round(51_820 / 54_000, 4),
        round(150 * 328 / 51_820, 4),
        round(324 / 328, 4),
        round(51_820 / 54_000 * 150 * 328 / 51_820 * 324 / 328, 4),
    )
    # Ten calls, not five: the same call ids at two sites are two calls.
    assert total["calls"] == 10
    overall = total["response"]["overall"]
    assert overall["acknowledge"] == {"count": 8, "mean_s": 90.0, "median_s": 80.0, "p90_s": 180.0}
    assert overall["repair"]["count"] == 8 and overall["repair"]["mean_s"] == 592.5
    assert [r["line"] for r in total["response"]["by_line"]] == [
        "plant-north/line-a",
        "plant-south/line-a",
    ]
    assert total["downtime_pareto"][0]["reason"] == "BRK-MECH"
    assert total["downtime_pareto"][0]["seconds"] == 2_100
    causes = total["downtime_pareto"][0]["calls"]
    assert sorted({c["call_id"].split("/")[0] for c in causes}) == list(SITES)
    assert [(c["line"], c["calls"]) for c in total["calls_per_shift"]] == [
        ("plant-north/line-a", 5),
        ("plant-south/line-a", 5),
    ]
    # the scripted shift keeps its pace: 600 s not judged (06:05-06:15), then normal
    pace = total["pace"]
    assert [r["line"] for r in pace["by_line"]] == ["plant-north/line-a", "plant-south/line-a"]
    assert pace["all"]["seconds"] == {
        "too_fast": 0.0,
        "too_slow": 0.0,
        "normal": 2 * 26_400.0,
        "not_judged": 2 * 600.0,
    }
    assert pace["all"]["share"]["not_judged"] == round(600 / 27_000, 4)


def test_site_and_area_select(enterprise) -> None:
    south = as_json(report(enterprise, "--site", "plant-south", "--format", "json"))
    assert [r["site"] for r in south["sites"]] == ["plant-south"]
    assert south["summary"]["actual"] == 162
    assert south["selection"] == {"site": "plant-south", "area": None, "line": None}
    area = as_json(report(enterprise, "--area", "assembly", "--format", "json"))
    assert [r["site"] for r in area["sites"]] == list(SITES)
    assert area["sites"][0]["lines"] == ["line-a", "line-b", "line-c"]
    both = as_json(
        report(enterprise, "--site", "plant-north", "--line", "line-a", "--format", "json")
    )
    assert [(r["site"], r["lines"]) for r in both["sites"]] == [("plant-north", ["line-a"])]


def test_unknown_site_area_or_line_is_refused_naming_what_exists(enterprise) -> None:
    done = report(enterprise, "--site", "plant-west")
    assert done.returncode == 1 and done.stdout == ""
    assert "there is no site 'plant-west' (the sites: plant-north, plant-south)" in done.stderr
    done = report(enterprise, "--area", "paint")
    assert done.returncode == 1
    assert "there is no area 'paint' in any site" in done.stderr
    assert "plant-north: assembly" in done.stderr
    done = report(enterprise, "--compare")
    assert done.returncode == 2 and "--compare" in done.stderr


def test_table_csv_and_html_speak_the_language(enterprise, tmp_path: Path) -> None:
    done = report(enterprise, "--line", "line-a")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "andon report across sites, shift (site all, area all, line line-a)"
    assert "Time by pace judgement (planned working time)" in lines
    rows = {line.split()[0]: line for line in (lines[2], *lines[4:7])}
    assert set(rows) == {"site", "plant-north", "plant-south", "all"}
    assert "324" in rows["all"] and "337.5" in rows["all"]
    german = report(enterprise, "--line", "line-a", "--language", "de")
    assert german.returncode == 0 and "337,5" in german.stdout
    done = report(enterprise, "--line", "line-a", "--format", "csv")
    table = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [(r["site"], r["actual"], r["plan"]) for r in table] == [
        ("plant-north", "162", "168.75"),
        ("plant-south", "162", "168.75"),
        ("*", "324", "337.5"),
    ]
    assert [(r["normal_s"], r["not_judged_s"]) for r in table] == [
        ("26400.0", "600.0"),
        ("26400.0", "600.0"),
        ("52800.0", "1200.0"),
    ]
    out = tmp_path / "sites.html"
    done = report(enterprise, "--format", "html", "--language", "zh_CN", "-o", str(out))
    assert done.returncode == 0, done.stderr
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>") and 'lang="zh-Hans-CN"' in page
    assert page.count("<tr>") > 3
