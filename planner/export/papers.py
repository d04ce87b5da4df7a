"""Paper sizes the PDF prints on: option name -> fpdf's format name.

Apart from layout.py so the CLI can offer `--paper` without importing fpdf (a slow import).
"""

PAPERS = {"a4": "A4", "letter": "Letter"}
