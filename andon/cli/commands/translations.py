"""``andon translations``: keep the message catalogs in step with the code (docs/i18n.md)."""

from __future__ import annotations

import argparse
import sys

from andon.cli import speech
from andon.cli.speech import say
from andon.i18n.catalog import Translator
from andon.i18n.markers import N_

NAME = "translations"
LOG_LEVEL = "WARNING"
"""A one-shot command: its answer, not the connection log."""
HELP = N_("update, compile and check the message catalogs (adding a language: docs/i18n.md)")


PROBLEMS = {
    "not in the catalog": N_("{language}: {text} is not in the catalog"),
    "not translated": N_("{language}: {text} is not translated"),
    "marked fuzzy (to be checked)": N_("{language}: {text} is marked fuzzy (to be checked)"),
    "its {fields} differ from the English": N_(
        "{language}: the named fields of {text} differ from the English"
    ),
    "Babel has no locale data for this code (numbers, dates)": N_(
        "{language}: Babel has no locale data for this code (numbers, dates)"
    ),
    "the compiled catalog is older than the .po: compile it": N_(
        "{language}: the compiled catalog is older than the .po: compile it"
    ),
}
"""Each problem of a catalog (:class:`andon.i18n.maintain.Problem`) as one sentence."""
COMPILED = N_("compiled {file}")
COMPLETE = N_("catalogs complete: {languages}")
NO_CATALOG = N_(
    "andon has no catalog for the language {language} "
    "(andon translations update --language {language} starts one)"
)


def _problem(problem: object, tr: Translator) -> str:
    sentence = PROBLEMS.get(getattr(problem, "what", ""))
    if sentence is None:
        return str(problem)
    return say(sentence, tr, language=problem.language, text=repr(problem.message))


def configure(parser: argparse.ArgumentParser) -> None:
    _ = speech.terminal().gettext
    parser.add_argument(
        "action",
        choices=["update", "compile", "check"],
        help=_("update: new texts into every catalog; compile: .po → .mo; check: report gaps"),
    )
    parser.add_argument(
        "--language",
        action="append",
        metavar="CODE",
        help=_("only this language (repeatable); a new code starts a new catalog with 'update'"),
    )


def run(args: argparse.Namespace) -> int:
    from andon.i18n import catalog, maintain

    languages = args.language or [
        code for code in catalog.shipped_languages() if code != catalog.DEFAULT_LANGUAGE
    ]
    tr = speech.terminal()
    if args.action != "update":
        missing = [code for code in languages if not maintain.po_path(code).exists()]
        for code in missing:
            print(say(NO_CATALOG, tr, language=code), file=sys.stderr)
        if missing:
            return 2
    template = maintain.extract()
    if args.action == "update":
        maintain.write_template(template)
        for language in languages:
            updated = maintain.update(language, template)
            todo = sum(1 for message in updated if message.id and not message.string)
            words = tr.ngettext(
                "{file}: {count} text to translate", "{file}: {count} texts to translate", todo
            )
            print(words.format(file=maintain.po_path(language), count=todo))
        return 0
    if args.action == "compile":
        for language in languages:
            print(say(COMPILED, tr, file=maintain.compile_catalog(language)))
        return 0
    found = [problem for language in languages for problem in maintain.problems(language, template)]
    for problem in found:
        print(_problem(problem, tr), file=sys.stderr)
    if found:
        refused = tr.ngettext(
            "refused: {count} problem in the catalogs",
            "refused: {count} problems in the catalogs",
            len(found),
        )
        print(refused.format(count=len(found)), file=sys.stderr)
        return 1
    print(say(COMPLETE, tr, languages=", ".join(languages)))
    return 0
