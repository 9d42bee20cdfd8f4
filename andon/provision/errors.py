"""The one error provisioning raises: what went wrong and what to do."""

from __future__ import annotations


class ProvisionError(Exception):
    """Provisioning cannot go on; the message says why and, where it can, what to fix."""
