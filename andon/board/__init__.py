"""The progress board: a Textual app that renders what stations publish and sends commands.

Start it with :func:`andon.board.run.build_app`; see ``docs/board.md``.
"""
