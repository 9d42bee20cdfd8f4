"""A command the board could not send says why in the board's language."""

from __future__ import annotations

from andon.board.formatting import notice_text
from andon.board.model import BoardModel
from andon.board.pending import NO_BROKER, NOT_DELIVERED
from andon.i18n import translator
from tests.board import factory as f
from tests.board.test_model import make_catalogue


def test_a_command_the_board_could_not_send_says_why_in_the_boards_language() -> None:
    model = BoardModel(make_catalogue())
    command = model.new_command(f.path(), "cancel", {"call_id": "x"}, "Anna", f.at(0))
    model.command_failed(command.command_id, NO_BROKER, f.at(1))
    notice = model.view(f.at(1)).notices[-1]
    assert notice.text == "cancel x not sent: no broker connection"
    assert notice_text(notice, translator("de")).endswith(
        "nicht gesendet: keine Verbindung zum Broker"
    )
    command = model.new_command(f.path(), "cancel", {"call_id": "y"}, "Anna", f.at(2))
    model.command_failed(command.command_id, NOT_DELIVERED, f.at(3))
    notice = model.view(f.at(3)).notices[-1]
    assert notice_text(notice, translator("zh_TW")).endswith("未傳送：未送達")
    assert notice_text(notice, translator("en")) == "cancel y not sent: not delivered"
