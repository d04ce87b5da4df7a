"""Where the bundled data lives: found from the package, never the working directory."""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
