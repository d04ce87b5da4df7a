"""Draw a block of elements once per content; later runs replay the recorded elements.

Drawing a table (an Arrow table to build and write) or the map (~200 KB of deck.gl JSON) costs
milliseconds, and most reruns redraw exactly what was there: changing the date or ticking a
box leaves most routes as they were. `replay(kind, key, draw)` runs `draw` the first time
`key` is seen and records its elements (Streamlit's cached-element replay); the next time,
the same elements are sent again without running `draw`.

`key` must say everything `draw` shows (the rows, the option, the words), and `draw` must
hold no widgets. The cache is shared by every session and bounded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import streamlit as st


def replay(kind: str, key: str, draw: Callable[[], None]) -> None:
    """Run `draw` for a new `key` of this `kind`, else replay what it drew."""
    _draw(kind, hashlib.blake2b(key.encode("utf-8"), digest_size=20).hexdigest(), draw)


@st.cache_resource(show_spinner=False, max_entries=512)
def _draw(kind: str, digest: str, _draw_fn: Callable[[], None]) -> None:
    _draw_fn()
