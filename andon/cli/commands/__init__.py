"""One module per subcommand.

Each module defines ``NAME`` (the subcommand), ``HELP`` (one line),
``configure(parser)`` to add its arguments and ``run(args) -> int``.
Modules are discovered, so adding a command never edits a central list.
Keep module-level imports light: heavy imports belong inside ``run``.
"""
