"""The load test's enterprise historian: ``andon historian --enterprise`` into PostgreSQL.

A throw-away PostgreSQL server (:mod:`andon.bench.pg_server`, as the tests' fixtures
run it) and the historian in its own process, against the enterprise broker with
its own account, as a company runs it. At the end of the run the history is held to
the stations' journals: per station, the events stored and the highest ``seq``
against the journal's events and last ``seq`` (what ``andon verify-journal`` counts
of an intact journal), and the lag from each event's ``at`` to the moment the
historian wrote it (``received_at``).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

from andon.bench import words as W
from andon.bench.figures import Figure, latency, single
from andon.bench.machine import PROC, TICK_S, peak_mb
from andon.bench.pg_server import BenchPostgres, start_postgres
from andon.bench.processes import Child

NAME = "central"
"""The historian's name (its status topic and log)."""
NICE = 10
"""The historian and its server yield the CPU to the site side: at a company they run on
machines of their own, and here they would otherwise take the stations' share of a
machine too small for both (they catch up once the load is over)."""
COUNTS = "SELECT station, count(*), count(DISTINCT seq), max(seq) FROM events GROUP BY station"
LAGS = "SELECT extract(epoch FROM received_at - at) * 1000 FROM events"
DISTINCT = "SELECT count(*) FROM (SELECT DISTINCT station, seq FROM events) AS d"
POLL_S = 1.0


def enterprise_toml(folder: Path, enterprise: str, port: int, ca_file: Path) -> Path:
    """The enterprise file the historian reads (the broker as the sites reach it)."""
    path = folder / "enterprise.toml"
    path.write_text(
        "\n".join(
            [
                'kind = "enterprise"',
                "schema = 1",
                "[enterprise]",
                f'id = "{enterprise}"',
                'name = "Load test enterprise"',
                "[broker]",
                'host = "localhost"',
                f"port = {port}",
                f'ca_file = "{ca_file}"',
                "",
            ]
        ),
        encoding="utf-8",
    )
    return path


def _tree_cpu_s(pid: int) -> float:
    """CPU time of a server and its live children, and of the children it reaped."""
    total = 0.0
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(entry.name) == pid:
            total += sum(int(f) for f in fields[11:15]) * TICK_S  # utime stime cutime cstime
        elif int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) * TICK_S
    return total


def _tree_peak_mb(pid: int) -> float:
    """The largest peak resident memory of the server's processes."""
    peaks = [peak_mb(pid)]
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
                    peaks.append(peak_mb(int(entry.name)))
            except (OSError, ValueError):
                continue
    return max(peaks)


@dataclass
class EnterpriseHistory:
    """The running server and historian, and what the history holds."""

    server: BenchPostgres
    historian: Child | None = None

    @property
    def server_pid(self) -> int:
        return int((self.server.folder / "data" / "postmaster.pid").read_text().split()[0])

    def server_cpu_s(self) -> float:
        return _tree_cpu_s(self.server_pid)

    def server_peak_mb(self) -> float:
        return _tree_peak_mb(self.server_pid)

    def start_historian(
        self, description: Path, username: str, password_file: Path, log: Path
    ) -> Child:
        argv = [
            "nice", "-n", str(NICE),
            sys.executable, "-m", "andon", "--log-level", "WARNING", "historian",
            "--enterprise", str(description), "--database", self.server.url, "--name", NAME,
            "--username", username, "--password-file", str(password_file),
        ]  # fmt: skip
        self.historian = Child([*argv])
        return self.historian

    def _query(self, sql: str) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.server.url, autocommit=True) as conn:
            try:
                return list(conn.execute(sql).fetchall())
            except psycopg.errors.UndefinedTable:
                return []  # the historian has not made its tables yet

    def stored(self) -> int:
        """Distinct ``(station, seq)`` in the history."""
        rows = self._query(DISTINCT)
        return int(rows[0][0]) if rows else 0

    def drain(self, published: int, quiet_s: float) -> float:
        """Until the history holds ``published`` events, or nothing new came for
        ``quiet_s``; the seconds it took."""
        began = last_new = time.monotonic()
        held = -1
        while (now := time.monotonic()) - last_new <= quiet_s:
            if self.historian is not None:
                self.historian.alive()
            stored = self.stored()
            if stored >= published:
                break
            if stored > held:
                held, last_new = stored, now
            time.sleep(POLL_S)
        return time.monotonic() - began

    def counts(self) -> dict[str, tuple[int, int, int]]:
        """Station → (rows stored, distinct seqs, highest seq)."""
        return {s: (int(n), int(d), int(top)) for s, n, d, top in self._query(COUNTS)}

    def lags_ms(self) -> list[float]:
        """Of every stored event: from its ``at`` to its writing into the history, in ms."""
        return [float(lag) for (lag,) in self._query(LAGS)]

    def stop(self) -> None:
        if self.historian is not None:
            self.historian.stop()
        self.server.stop()


def start() -> EnterpriseHistory | None:
    """A started PostgreSQL server for the historian; None when PostgreSQL is missing."""
    server = start_postgres(nice=NICE)
    return None if server is None else EnterpriseHistory(server)


@dataclass(frozen=True)
class Comparison:
    """The history held to the stations' journals."""

    missing: int
    """Events of a journal the history does not hold."""
    duplicated: int
    """Rows beyond one per ``(station, seq)``."""
    foreign: int
    """Events of a seq no journal holds (beyond a journal's last, or no such station)."""
    differ: int
    """Stations whose (events, last seq) in the history is not their journal's."""


def compare(journals: dict[str, int], history: dict[str, tuple[int, int, int]]) -> Comparison:
    """Each station's journal holds events 1..n, intact: ``n`` events, last ``seq`` n."""
    missing = duplicated = foreign = differ = 0
    for station, top in journals.items():
        rows, distinct, last = history.get(station, (0, 0, 0))
        duplicated += rows - distinct
        foreign += max(0, last - top)
        missing += max(0, top - distinct + max(0, last - top))
        differ += (distinct, last) != (top, top) or rows != distinct
    for station, (rows, distinct, _) in history.items():
        if station not in journals:
            foreign += distinct
            duplicated += rows - distinct
            differ += 1
    return Comparison(missing, duplicated, foreign, differ)


def figures(history: EnterpriseHistory, journals: dict[str, int], drained_s: float) -> list[Figure]:
    """The history held to the journals, and its lag."""
    seen = compare(journals, history.counts())
    note = W.NOTE_SITES_HISTORY.format(
        stations=len(journals), differ=seen.differ, foreign=seen.foreign
    )
    return [
        single("sites_history_lost", W.SITES_HISTORY_LOST, "events", seen.missing,
               samples=sum(journals.values()), target="0", passed=seen.missing == 0, note=note),
        single("sites_history_duplicated", W.SITES_HISTORY_DUPLICATED, "events",
               seen.duplicated, target="0", passed=seen.duplicated == 0),
        latency("sites_history_lag", W.SITES_HISTORY_LAG, history.lags_ms(),
                note=W.NOTE_SITES_HISTORY_LAG.format(seconds=f"{drained_s:.1f}")),
    ]  # fmt: skip
