"""What changes between two live parts: a new row, a passing second, a moved row."""

from __future__ import annotations

from andon.web.parts import Part, attr, changes, keyed, sse_changes


def _row(key: str, text: str, seconds: int) -> Part:
    timer = f"{key}/timer"
    return Part(
        key,
        (
            f"<li{attr(key)}>{text} ",
            Part(timer, (f"<span{attr(timer)}>0:{seconds:02d}</span>",)),
            "</li>",
        ),
    )


def _page(rows: list[Part], title: str = "Calls") -> Part:
    return Part(
        "live",
        (f"<div{attr('live')}><h2>{title}</h2>", keyed("calls", "<ul>", rows, "</ul>"), "</div>"),
    )


def test_a_passing_second_sends_only_the_timer() -> None:
    old = _page([_row("a", "help a1", 4), _row("b", "help b2", 9)])
    new = _page([_row("a", "help a1", 5), _row("b", "help b2", 9)])
    found = changes(old, new)
    assert [(c.kind, c.key) for c in found] == [("part", "a/timer")]
    assert found[0].text == '<span data-part="a%2Ftimer">0:05</span>'


def test_a_new_row_sends_the_order_and_that_row_only() -> None:
    old = _page([_row("a", "help a1", 4)])
    new = _page([_row("c", "material c1", 0), _row("a", "help a1", 4)])
    found = changes(old, new)
    assert [(c.kind, c.key) for c in found] == [("order", "calls"), ("part", "c")]
    assert found[0].text == "c\na"
    assert "material c1" in found[1].text


def test_a_changed_text_around_parts_sends_the_whole_part() -> None:
    old = _page([_row("a", "help a1", 4)])
    new = _page([_row("a", "help a1", 4)], title="Open calls")
    assert [(c.kind, c.key) for c in changes(old, new)] == [("part", "live")]
    assert changes(new, _page([_row("a", "help a1", 4)], title="Open calls")) == []


def test_changes_are_framed_as_events_with_the_key_first() -> None:
    old = _page([_row("a", "x", 1)])
    new = _page([_row("a", "x\ny", 1)])
    framed = sse_changes(changes(old, new)).decode()
    assert framed == 'event: part\ndata: a\ndata: <li data-part="a">x\ndata: y <span' + (
        ' data-part="a%2Ftimer">0:01</span></li>\n\n'
    )
