"""Every refusal of the station's rules is found again from its English sentence, and shown."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from andon.domain.refusals import TEMPLATES, sentence
from andon.i18n import translator
from andon.i18n.refusals import explain, shown

VALUES = st.text(alphabet=string.ascii_letters + string.digits + "-./'", min_size=1, max_size=12)


def _fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def test_there_is_a_template_for_each_refusal() -> None:
    assert len(TEMPLATES) >= 30 and len(set(TEMPLATES)) == len(TEMPLATES)


@pytest.mark.parametrize("template", TEMPLATES)
@settings(deadline=None)  # the first example loads the catalogs; on a busy machine that is slow
@given(data=st.data())
def test_a_sentence_leads_back_to_its_template_and_fields(template: str, data) -> None:
    fields = {name: data.draw(VALUES) for name in _fields(template)}
    assert explain(sentence(template, **fields)) == (template, fields)


@pytest.mark.parametrize("language", ["zh_CN", "zh_TW", "de"])
@pytest.mark.parametrize("template", TEMPLATES)
def test_each_refusal_is_shown_translated(template: str, language: str) -> None:
    fields = {name: f"X{n}" for n, name in enumerate(_fields(template))}
    text = shown(sentence(template, **fields), translator(language))
    assert text != sentence(template, **fields)
    assert all(value in text for value in fields.values())
