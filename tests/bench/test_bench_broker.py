"""The benchmark's Mosquitto runs with the production broker's limits and socket options."""

from __future__ import annotations

from pathlib import Path

from andon.bench.broker import BenchBroker

REFERENCE = Path(__file__).resolve().parents[2] / "deploy" / "mosquitto" / "andon.conf"


def _limits_section(conf: str) -> list[str]:
    """The directives under ``# --- limits`` up to the next section."""
    lines = conf.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# --- limits"))
    section: list[str] = []
    for line in lines[start + 1 :]:
        if line.startswith("# ---"):
            break
        if line and not line.startswith("#"):
            section.append(line)
    return section


def test_the_bench_broker_has_every_production_limit_and_socket_option() -> None:
    production = _limits_section(REFERENCE.read_text())
    assert "set_tcp_nodelay true" in production
    bench = BenchBroker("mosquitto")._config().splitlines()
    assert [line for line in production if line not in bench] == []
