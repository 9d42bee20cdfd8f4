"""Widgets of the board; each owns its look (its styles live in ``styles/board.tcss``)."""
