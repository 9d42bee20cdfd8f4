"""Pictures of the board: a run of Chinese text is as long as its cells in the SVG."""

from __future__ import annotations

from tests.board.screenshot import cell_lengths, portable_svg

RUN = '<text class="r5" x="219.6" y="68.8" textLength="{length}" clip-path="url(#l2)">{text}</text>'


def test_a_run_of_double_width_glyphs_gets_the_length_of_its_cells() -> None:
    chinese = RUN.format(length="48.8", text="▼&#160;过慢")  # 4 characters, 6 cells
    assert cell_lengths(chinese) == RUN.format(length="73.2", text="▼&#160;过慢")
    latin = RUN.format(length="48.8", text="TOO&#160;")
    assert cell_lengths(latin) == latin
    assert 'textLength="73.2"' in portable_svg(f"<svg >{chinese}</svg>")
