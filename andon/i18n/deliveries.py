"""A notifier's delivery outcome in the reader's language.

The notifier publishes an outcome as codes with fields (``code``/``params`` and
``reason``/``reason_params``, see :mod:`andon.notify.outcomes`); :func:`shown`
writes the outcome's sentence in the reader's language, the reason's sentence in
it. An outcome from a notifier of before the codes, or with a code this andon
does not know, is shown as its English ``detail``; the service's own words (the
``other`` reason) are shown as the service wrote them. A list of roles in a
reason (``roles``, the labels separated by ``", "`` as the notifier's English
text has them) is written as the reader's language lists it (``Maintenance and
Team leader``, ``Instandhaltung und Teamleiter``, ``维修和班组长``), each label
translated when it is one of andon's own words.
"""

from __future__ import annotations

from collections.abc import Mapping

from andon.domain.events import AlertDelivery
from andon.i18n.catalog import Translator
from andon.i18n.formats import listing
from andon.notify.outcomes import OTHER, OUTCOME_TEMPLATES, REASON_TEMPLATES, ROLE_SEPARATOR


def roles_shown(labels: str, tr: Translator) -> str:
    """Role labels as the notifier wrote them (``"Maintenance, Team leader"``), listed in
    ``tr``'s language, each one of andon's own words translated."""
    items = [label.strip() for label in labels.split(ROLE_SEPARATOR) if label.strip()]
    return listing([tr.gettext(item) for item in items], tr.language) or labels


def reason_shown(code: str, params: Mapping[str, str], tr: Translator) -> str | None:
    """The reason's sentence in ``tr``'s language; None for an unknown code or fields."""
    if code == OTHER:
        return params.get("text")
    template = REASON_TEMPLATES.get(code)
    if template is None:
        return None
    fields = dict(params)
    if "roles" in fields:
        fields["roles"] = roles_shown(fields["roles"], tr)
    try:
        return tr.gettext(template).format(**fields)
    except (KeyError, IndexError, ValueError):
        return None


def shown(delivery: AlertDelivery, tr: Translator) -> str:
    """The outcome as ``tr``'s reader reads it (its English ``detail`` when it has no code)."""
    template = OUTCOME_TEMPLATES.get(delivery.code)
    if template is None:
        return delivery.detail
    fields = dict(delivery.params)
    if "{reason}" in template:
        reason = reason_shown(delivery.reason, delivery.reason_params, tr)
        if reason is None:
            return delivery.detail
        fields["reason"] = reason
    try:
        return tr.gettext(template).format(**fields)
    except (KeyError, IndexError, ValueError):
        return delivery.detail
