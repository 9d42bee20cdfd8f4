"""The outcome of one check: OK, WARN, FAIL or SKIP, what was found, and what to fix."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from andon.i18n.catalog import DEFAULT_LANGUAGE, Translator, translator


class Status(Enum):
    OK = "OK"
    WARN = "WARN"
    """Works, but should be fixed."""
    FAIL = "FAIL"
    """Does not work: the program will not run right."""
    SKIP = "SKIP"
    """Nothing to check for this configuration."""


@dataclass(frozen=True)
class CheckResult:
    """One finding of ``andon doctor``."""

    check: str
    """Short name of the check: ``pins``, ``scanner``, ``broker``, ``clock`` …"""
    status: Status
    detail: str
    """What was found, in one sentence."""
    fix: str = ""
    """What to do about it (for WARN and FAIL)."""

    @property
    def failed(self) -> bool:
        return self.status is Status.FAIL


def ok(check: str, detail: str) -> CheckResult:
    return CheckResult(check, Status.OK, detail)


def warn(check: str, detail: str, fix: str) -> CheckResult:
    return CheckResult(check, Status.WARN, detail, fix)


def fail(check: str, detail: str, fix: str) -> CheckResult:
    return CheckResult(check, Status.FAIL, detail, fix)


def skip(check: str, detail: str) -> CheckResult:
    return CheckResult(check, Status.SKIP, detail)


def render(results: Iterable[CheckResult], tr: Translator | None = None) -> str:
    """One line per check (``FAIL  broker  …``), each fix indented below its line, in
    ``tr``'s language (English without one); the status words and check names stay."""
    from andon.doctor.words import ALL_PASSED, ANONYMOUS, FAILED, FIX, ONE_FAILED, TEMPLATES
    from andon.i18n.sentences import translated

    users = {"user": lambda value, tr: tr.gettext(value) if value == ANONYMOUS else value}

    tr = tr or translator(DEFAULT_LANGUAGE)
    results = list(results)
    width = max((len(r.check) for r in results), default=0)
    lines = []
    for result in results:
        detail = translated(result.detail, TEMPLATES, tr, users)
        lines.append(f"{result.status.value:<4}  {result.check:<{width}}  {detail}")
        if result.fix and result.status in (Status.FAIL, Status.WARN):
            column = " " * (width + 8)  # under the detail
            fix = tr.gettext(FIX).format(fix=translated(result.fix, TEMPLATES, tr, users))
            for index, line in enumerate(fix.splitlines()):
                lines.append(f"{column}{line}" if index == 0 else f"{column}     {line}")
    failed = sum(r.failed for r in results)
    if failed:
        lines.append(tr.gettext(ONE_FAILED if failed == 1 else FAILED).format(count=failed))
    else:
        lines.append(tr.gettext(ALL_PASSED))
    return "\n".join(lines)
