"""The one error provisioning raises, and its sentences marked for the catalogs.

Provisioning raises these in English (logs and tests read them); ``andon
provision``, ``andon historian`` and ``andon board`` write them in the terminal's
language (:func:`andon.cli.speech.shown` with :data:`TEMPLATES`). Paths, names,
hosts and the texts of other programs (openssl, the TOML parser) are kept as written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from andon.i18n.markers import N_, registered


class ProvisionError(Exception):
    """Provisioning cannot go on; the message says why and, where it can, what to fix.

    ``template`` and ``problems``: a sentence listing problems (one of the templates
    with ``{problems}`` below) and the problems themselves, configuration issues
    (:class:`~andon.config.errors.ConfigIssue`) or sentences of this module, so that
    a reader sees each in their language.
    """

    def __init__(self, message: str, template: str = "", problems: Sequence[object] = ()) -> None:
        super().__init__(message)
        self.template = template
        self.problems = tuple(problems)

    @classmethod
    def listing(cls, template: str, problems: Iterable[object]) -> ProvisionError:
        """The error of ``template`` listing ``problems``, one a line."""
        found = tuple(problems)
        return cls(template.format(problems=lines(found)), template, found)


NO_TLS_NAMES = N_("TLS: expected at least one host name or address for the broker")
NO_TLS_BACKEND = N_(
    "TLS: needs the cryptography package or the openssl command (apt-get install openssl)"
)
HALF_A_CA = N_(
    "TLS: {directory} has only one of ca.crt and ca.key; restore the other or remove "
    "both to make a new CA (every device then needs the new ca.crt)"
)
NOT_EC_KEY = N_("TLS: {key} is not an EC key")
OPENSSL_MISSING = N_("TLS: cannot run openssl: {error}")
OPENSSL_FAILED = N_("TLS: openssl {command} failed: {error}")
NO_CLIENT = N_("{file}: a {kind} file has no MQTT client of its own")
UNREADABLE_BESIDE = N_(
    "cannot read every file beside the plant file (fix them, or name the files "
    "to provision with --files):\n  {problems}"
)
NOT_A_MEMBER = N_("{file}: expected a station, board, store or notify file, got a plant file")
OTHER_PLANT = N_("{file}: belongs to the plant file {plant}, not to {expected}")
INVALID_CONFIGURATION = N_("invalid configuration:\n  {problems}")
INVALID_PLANT = N_("invalid plant file:\n  {problems}")
INVALID_ENTERPRISE = N_("invalid enterprise file:\n  {problems}")
NO_CA_FILE = N_("{file}: broker.ca_file: no such file: {ca}")
ENTERPRISE_PASSWORD_NO_USER = N_(
    "--enterprise-password-file {password_file}: expected --enterprise-username too "
    "(the account at the enterprise broker whose password it holds)"
)
ENTERPRISE_BROKER_UNUSABLE = N_("{file}: broker: the settings cannot be used: {error}")
SAME_USERNAME = N_(
    "two clients would both be {username}: {first} and {second}; give them distinct ids"
)
BROKER_NOT_A_TABLE = N_(
    "{file}: write the broker settings as a [broker] table so that andon provision can replace them"
)
BROKER_NOT_PLAIN = N_(
    "{file}: could not replace the [broker] table without changing other settings; "
    "keep [broker] a plain table of simple values"
)
NO_PLANT_LINE = N_('{file}: expected a top-level line plant = "…" that andon provision can rewrite')
TOML_SYNTAX = N_("{file}: TOML syntax error: {error}")
QUEUE_TOO_BIG = N_(
    "bridge.outage_h: {hours} h of {stations} stations at {rate} messages/h would queue "
    "{needed} messages ({size} MiB) in the site broker; the most it may hold is {most} MiB, "
    "{held} h: expected a shorter outage_h (the stations' journals keep everything longer; "
    "a replay fills the gap)"
)
SAME_PORT = N_("the plain and the TLS listener would both use port {port}")
BAD_HOST = N_("broker host: expected a host name or address, got {host}")
BRACKETED_HOST = N_("broker host: write an IPv6 address without brackets: {host}")
USERNAME_SPACE = N_("username: expected no whitespace, got {username}")
USERNAME_CHARACTERS = N_("username: expected no ':' or whitespace, got {username}")
EMPTY_PASSWORD = N_("password: expected a non-empty password")

TEMPLATES: tuple[str, ...] = registered(globals())
"""Every sentence above, found again by :func:`andon.cli.speech.shown`."""


def lines(problems: Iterable[object]) -> str:
    """Several problems, one a line, as the ``{problems}`` field of a sentence above."""
    return "\n  ".join(str(problem) for problem in problems)
