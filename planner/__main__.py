import signal
import sys

from planner.cli import main

if hasattr(signal, "SIGPIPE"):  # `... | head` ends quietly, as other command-line tools do
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
sys.exit(main())
