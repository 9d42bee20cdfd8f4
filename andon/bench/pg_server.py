"""A throw-away PostgreSQL server for the report benchmark: a temporary cluster on a Unix socket.

Run as the ``postgres`` user when the benchmark runs as root (the server refuses
root); ``None`` from :func:`start_postgres` when PostgreSQL is not installed.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")
USER = "postgres"


def _as_postgres() -> list[str]:
    return ["runuser", "-u", USER, "--"] if os.geteuid() == 0 else []


@dataclass
class BenchPostgres:
    folder: Path

    @property
    def url(self) -> str:
        return f"postgresql://{USER}@/postgres?host={self.folder}"

    def stop(self) -> None:
        subprocess.run(
            [*_as_postgres(), str(PG_BIN / "pg_ctl"), "-D", str(self.folder / "data"),
             "-m", "fast", "stop"],
            capture_output=True,
        )  # fmt: skip
        shutil.rmtree(self.folder, ignore_errors=True)


def start_postgres(nice: int = 0) -> BenchPostgres | None:
    """A started server, or None when PostgreSQL 15 or psycopg is missing; ``nice``: the
    server's processes run at that niceness (they inherit it from the postmaster)."""
    if not (PG_BIN / "initdb").exists():
        return None
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return None
    folder = Path(tempfile.mkdtemp(prefix="andon-bench-pg-"))
    if os.geteuid() == 0:
        entry = pwd.getpwnam(USER)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    run = _as_postgres()
    data = folder / "data"
    subprocess.run(
        [*run, str(PG_BIN / "initdb"), "-D", str(data), "-U", USER, "--auth=trust",
         "-E", "UTF8", "--locale=C.UTF-8"],
        check=True, capture_output=True,
    )  # fmt: skip
    options = f"-c listen_addresses='' -c unix_socket_directories='{folder}' -c fsync=off"
    subprocess.run(
        [*(["nice", "-n", str(nice)] if nice else []), *run, str(PG_BIN / "pg_ctl"),
         "-D", str(data), "-o", options,
         "-l", str(folder / "server.log"), "-w", "start"],
        check=True, capture_output=True,
    )  # fmt: skip
    return BenchPostgres(folder)
