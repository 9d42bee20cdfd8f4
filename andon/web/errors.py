"""Why ``andon web`` cannot start or hash a PIN: every sentence once, with named fields.

The web server raises these in English (its log stays in one language);
``andon web`` finds the template again and writes it in the terminal's language.
"""

from __future__ import annotations

from andon.i18n.markers import N_, registered

PIN_LENGTH = N_("expected a PIN of {least} to {most} characters")
SECRET_SHORT = N_("{file}: expected at least 32 bytes of secret, got {count}")
DID_NOT_START = N_("the web server did not start on port {port}")

TEMPLATES: tuple[str, ...] = registered(globals())
"""Every sentence above, the most specific first."""
