"""At 80×24 the Calls and Store screens break a line's name between words, never inside
one: German gives the Line column its longest word (``Kabelbaumlinie C``), Chinese breaks
between glyphs and keeps the line's letter with its glyph (``电路板`` / ``线 B``). A real
Textual pilot, no broker."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot

from andon.board.app import BoardApp
from andon.board.catalogue import BoardCatalogue
from andon.board.screens.store import LEAD_TIME_COLUMNS
from andon.board.widgets.keyed_table import KeyedTable, translated
from andon.config.loader import load_board
from andon.domain import events as ev
from andon.i18n import translator
from tests.board.pilot import RecordingSender, SetClock, redraw, run, screen_text
from tests.board.scenario import BOARD_NOW, CONFIG, fed_model
from tests.board.test_screens import event, station_seq

NAMES = {
    "Assembly line A": {"zh_CN": "装配线 A", "de": "Montagelinie A"},
    "PCB line B": {"zh_CN": "电路板线 B", "de": "Platinenlinie B"},
    "Harness line C": {"zh_CN": "线束线 C", "de": "Kabelbaumlinie C"},
}
"""The test plant's lines with the demo plant's translations of their names."""
ON_B_AND_C = ("demo-plant/assembly/line-b/b1", "demo-plant/assembly/line-c/c2")


def named_app(tmp_path: Path, board: str, language: str, **options: object) -> BoardApp:
    """A board of the test plant whose lines carry their names in ``language``."""
    shutil.copytree(CONFIG, tmp_path, dirs_exist_ok=True)
    plant = tmp_path / "plant.toml"
    text = plant.read_text(encoding="utf-8")
    for name, names in NAMES.items():
        table = ", ".join(f'{code} = "{word}"' for code, word in names.items())
        text = text.replace(f'name = "{name}"\n', f'name = "{name}"\nnames = {{ {table} }}\n')
    plant.write_text(text, encoding="utf-8")
    catalogue = BoardCatalogue.from_board(load_board(tmp_path / board), language)
    return BoardApp(
        catalogue,
        model=fed_model(catalogue),
        sender=RecordingSender(),
        clock=SetClock(BOARD_NOW),
        operator="Mehmet Yilmaz",
        **options,  # type: ignore[arg-type]
    )


async def material_on_b_and_c(pilot: Pilot[None]) -> list[str]:
    """The morning's calls are on line A: a material call at b1 and c2 as well; the rows."""
    app = pilot.app
    assert isinstance(app, BoardApp)
    for n, path in enumerate(ON_B_AND_C):
        call = f"{path.rsplit('/', 2)[1]}.C9{n}"
        raised = ev.CallRaised(
            at=app.clock(), call_id=call, call_type="material", source="board", part="P-1001"
        )
        event(app, path, station_seq(app, path) + 1, raised)
    await redraw(pilot)
    return screen_text(app).splitlines()


SCREENS = [("board.toml", {"start_mode": "calls"}), ("store.toml", {})]


@pytest.mark.parametrize(("board", "options"), SCREENS, ids=["calls", "store"])
def test_german_line_names_keep_their_words_whole(
    tmp_path: Path, board: str, options: dict[str, object]
) -> None:
    async def check(pilot: Pilot[None]) -> None:
        lines = await material_on_b_and_c(pilot)
        text = "\n".join(lines)
        for name in ("Montagelinie A", "Platinenlinie B", "Kabelbaumlinie C"):
            word = name.split()[0]
            assert word in text, f"{word!r} broken:\n{text}"
        for fragment in ("Kabelbau", "Montagel", "Platinenli"):
            assert all(fragment not in line.split() for line in lines), text

    run(named_app(tmp_path, board, "de", **options), check, size=(80, 24))


@pytest.mark.parametrize(("board", "options"), SCREENS, ids=["calls", "store"])
def test_chinese_line_names_keep_the_lines_letter_with_its_glyph(
    tmp_path: Path, board: str, options: dict[str, object]
) -> None:
    async def check(pilot: Pilot[None]) -> None:
        lines = await material_on_b_and_c(pilot)
        text = "\n".join(lines)
        for name in ("电路板线 B", "线束线 C"):
            at = next(i for i, line in enumerate(lines) if name.split()[0][:2] in line)
            whole = name in lines[at]
            below = lines[at + 1].lstrip()  # the columns before the line's are blank there
            kept = below.startswith(f"{name[-3]} {name[-1]}")  # 线 B: the glyph with its letter
            assert whole or kept, f"{name!r} broken:\n{text}"
            assert not below.startswith(name[-1]), f"{name[-1]!r} alone:\n{text}"

    run(named_app(tmp_path, board, "zh_CN", **options), check, size=(80, 24))


class OneTable(App[None]):
    """The Store screen's lead-time columns in German, alone on an 80-column terminal."""

    def compose(self) -> ComposeResult:
        yield KeyedTable(translated(LEAD_TIME_COLUMNS, translator("de")), id="lead-times")

    def on_mount(self) -> None:
        self.query_one(KeyedTable).set_rows(
            [
                (
                    "1",
                    ["P-1001", "Sechskantschraube M6", "Montagelinie A", "a2", "3", "4:50", "6:14"],
                ),
                ("2", ["P-3001", "Kabelbaum", "Kabelbaumlinie C", "c1", "1", "6:32", "6:32"]),
            ]
        )


def test_a_part_names_word_does_not_take_the_room_a_line_names_word_needs() -> None:
    async def main() -> None:
        app = OneTable()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            text = screen_text(app)  # type: ignore[arg-type]
            for word in ("Sechskantschraube", "Montagelinie", "Kabelbaumlinie"):
                assert word in text, text

    asyncio.run(main())
