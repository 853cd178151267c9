"""A sandbox world saved between runs: the wall clock that measures how long dms-tui was
closed, and a Controller on the reopened world."""

from __future__ import annotations

from tui.controller import Controller


class Wall:
    """The wall clock that measures how long dms-tui was closed."""

    def __init__(self, now: float = 1_800_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def controller_for(sandbox) -> Controller:
    return Controller(
        sandbox.credential, sandbox.subscription_id, transport=sandbox.transport, polling_interval=0
    )
