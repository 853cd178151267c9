"""The cycle collector sets aside what the app runs on once, when the monitor shows its first
answer, and never again: what comes later is collected as usual."""

from __future__ import annotations

import gc

from tui.monitoring.collector import settle


def test_what_is_loaded_is_set_aside_once():
    settle()
    frozen = gc.get_freeze_count()
    assert frozen > 0
    later = [[n] for n in range(1000)]  # tracked objects made after the first answer
    settle()
    assert gc.get_freeze_count() == frozen
    assert gc.is_tracked(later[0])
