"""Events held in memory because the journal cannot be written, kept over a stop.

When a station stops (a clean SIGTERM) while its journal refuses writes (disk
full, read-only mount), what it holds is written to a *held file*: beside the
journal when that directory still takes a file, else in the runtime directory
(``$RUNTIME_DIRECTORY`` under systemd, else ``/dev/shm``: memory, which outlives
the process but not a reboot). The next start reads it before anything else and
journals its events first, in their order, then removes it. When no held file
can be written either, the station does not exit: it keeps retrying (see
:meth:`andon.station.agent.StationAgent.stop`).

One JSON object per line: ``{"id", "kind", "data"}`` for an event (``data`` as
journaled), ``{"outcome": [id, command, accepted, reason]}`` for a command outcome.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path

from andon.domain import event_decoding
from andon.domain import events as ev
from andon.journal.store import CommandOutcome

log = logging.getLogger(__name__)

Held = tuple[list[tuple[str, ev.Event]], list[CommandOutcome]]


def held_paths(journal: Path) -> list[Path]:
    """Where the held file of ``journal`` may be, in the order they are tried."""
    runtime = os.environ.get("RUNTIME_DIRECTORY", "").split(":")[0]
    if not runtime:
        runtime = "/dev/shm" if Path("/dev/shm").is_dir() else tempfile.gettempdir()
    tag = hashlib.sha256(str(journal.resolve()).encode()).hexdigest()[:16]
    return [
        journal.with_name(journal.name + ".held.jsonl"),
        Path(runtime) / f"andon-{journal.stem}-{tag}.held.jsonl",
    ]


def save_held(journal: Path, held: Held) -> Path | None:
    """Write ``held`` to the first place that takes it (atomically); None when none did.

    The other places are cleared, so only the newest held file remains.
    """
    events, outcomes = held
    lines = [
        json.dumps(
            {"id": event_id, "kind": event.KIND, "data": event.to_dict()}, ensure_ascii=False
        )
        for event_id, event in events
    ]
    lines += [
        json.dumps({"outcome": [o.command_id, o.command, o.accepted, o.reason]}, ensure_ascii=False)
        for o in outcomes
    ]
    text = "".join(line + "\n" for line in lines).encode("utf-8", "replace")
    for path in held_paths(journal):
        temporary = path.with_name(path.name + ".tmp")
        try:
            with open(temporary, "wb") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except OSError as exc:
            log.warning("held events cannot be written to %s: %s", path, exc)
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
            continue
        for other in held_paths(journal):
            if other != path:
                _remove(other)
        return path
    return None


def load_held(journal: Path) -> Held:
    """The events and outcomes of the held files of ``journal`` (each event once, in order)."""
    events: list[tuple[str, ev.Event]] = []
    outcomes: list[CommandOutcome] = []
    seen: set[str] = set()
    for path in held_paths(journal):
        try:
            text = path.read_text("utf-8", errors="replace")
        except FileNotFoundError:
            continue
        except OSError as exc:
            log.error("held file %s cannot be read: %s", path, exc)
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            try:
                item = json.loads(line)
                if "outcome" in item:
                    command_id, command, accepted, reason = item["outcome"]
                    outcomes.append(CommandOutcome(command_id, command, bool(accepted), reason))
                    continue
                event_id = item["id"]
                if event_id in seen:
                    continue
                events.append((event_id, event_decoding.from_dict(item["kind"], item["data"])))
                seen.add(event_id)
            except (ValueError, KeyError, TypeError, event_decoding.EventFormatError) as exc:
                log.error("held file %s line %d cannot be read: %s", path, number, exc)
    return events, outcomes


def clear_held(journal: Path) -> None:
    """Remove the held files once their events are journaled."""
    for path in held_paths(journal):
        _remove(path)


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("held file %s cannot be removed: %s", path, exc)
