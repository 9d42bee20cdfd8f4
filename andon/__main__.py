"""``python -m andon`` runs the command line."""

import sys

from andon.cli.main import main

sys.exit(main())
