"""Shorter pauses of Python's cycle collector while the monitor shows a migration of 20,000
tables.

A full collection walks every object the collector tracks — by the time the monitor runs,
the Azure SDK's modules, Textual, the app's screens and, with ``--sandbox``, the simulated
world — and holds the interpreter throughout: over 100 ms, due every few refreshes of such
a migration, while a key waited. Those objects live as long as the app; once the first
refresh is shown they are set aside (``gc.freeze``) and later collections walk only what
came after them.
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_settled = False


def settle() -> None:
    """Once per process: the objects tracked so far are not walked again."""
    global _settled
    with _lock:
        if _settled:
            return
        _settled = True
    gc.freeze()
