"""The wizard's steps by name: what the start screen, the palette and the step indicator
show. Kept apart from ``wizard_state`` so the first screen loads none of the wizard."""

from __future__ import annotations

STEPS = (
    "Provider",
    "DMS instance",
    "Project",
    "Source",
    "Target",
    "Databases",
    "Settings",
    "Summary",
    "Run",
)
TOTAL = len(STEPS)


def step_label(step: int) -> str:
    return f"{step}/{TOTAL} {STEPS[step - 1]}"
