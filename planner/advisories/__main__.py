"""`python -m planner.advisories ...`: the advisories sub-command on its own."""

import sys

from planner.advisories.command import main

sys.exit(main(["advisories", *sys.argv[1:]]))
