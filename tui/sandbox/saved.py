"""The sandbox's world kept between runs, under ``DMS_TUI_HOME`` (``sandbox/world-<seed>.json``).

The file is JSON with a format name and a version: the seed, the simulated moment the world
began, every change made since (``tui.sandbox.journal``), and when it was last saved, both in
simulated time and on the wall clock. Opening it builds the seeded world and makes each change
again at its moment; then the clock moves on by the real time that passed while dms-tui was
closed, times the speed the world ran at (at most ``MAX_CLOSED_SECONDS`` of simulated time), so
a migration left running has moved on. No secret is in it (see the journal), and it is written
whole or not at all, 0600 in a 0700 folder.

A file that cannot be read or replayed is set aside (``world-<seed>.damaged-<time>.json``) and a
fresh world starts, with a notice that says so in plain words; ``reset`` removes the saved world
and starts afresh.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tui.home import home
from tui.private_files import private_dir, write_atomically

from .clock import RealClock
from .journal import KINDS, ReplayError, replay
from .sandbox import Sandbox

FORMAT = "dms-tui sandbox world"
VERSION = 1
# how far simulated time moves on while dms-tui is closed, at most: a day, so that a world left
# for a weekend at 10x comes back one simulated day later, not three weeks
MAX_CLOSED_SECONDS = 86_400.0
DEFAULT_SPEED = 10.0

Wall = Callable[[], float]


class DamagedWorld(Exception):
    """The saved world cannot be used; the message says why, in plain words."""


def world_path(seed: int) -> Path:
    return home() / "sandbox" / f"world-{seed}.json"


class SavedWorld:
    """Keeps one sandbox's world in its file: ``save()`` after every change and at exit."""

    def __init__(self, sandbox: Sandbox, path: Path, speed: float, wall: Wall = time.time):
        self.sandbox = sandbox
        self.path = path
        self.speed = speed
        self.wall = wall
        self.problem = ""  # why the last save failed ("" when it did not)
        # what this run last wrote (or read): another dms-tui that opened the same world writes
        # the file too, and a run with nothing new to add must not put an older world back
        self._mark: tuple[int, int] | None = _stamp(path)
        self._events_written = len(sandbox.journal.events)
        sandbox.persist = self.save

    def document(self) -> dict[str, Any]:
        sb = self.sandbox
        with sb.world.lock:
            return {
                "format": FORMAT,
                "version": VERSION,
                "seed": sb.seed,
                "speed": self.speed,
                "created": sb.created,
                "simulated_now": sb.clock.now(),
                "saved_at": self.wall(),
                "events": list(sb.journal.events),
            }

    def save(self) -> None:
        """Write the world (atomically). A failure is remembered, never raised: the sandbox
        keeps running, and the next save tries again.

        When another dms-tui wrote the file since this one last did and nothing has changed
        here since, the file is left as it is: the other one's changes are newer."""
        try:
            with self.sandbox.world.lock:
                changed_here = len(self.sandbox.journal.events) != self._events_written
                if not changed_here and _stamp(self.path) not in (self._mark, None):
                    return
                doc = self.document()
            data = json.dumps(doc, separators=(",", ":")).encode("utf-8")
            private_dir(self.path.parent)
            write_atomically(self.path, data)
            self._mark, self._events_written = _stamp(self.path), len(doc["events"])
            self.problem = ""
        except OSError as e:
            self.problem = f"The sandbox's world could not be saved to {self.path}: {e.strerror}"


def open_world(
    seed: int = 0,
    speed: float | None = None,
    *,
    reset: bool = False,
    keep: bool = True,
    wall: Wall = time.time,
    make_clock: Callable[[], Any] | None = None,
    path: Path | None = None,
) -> tuple[Sandbox, str]:
    """The sandbox with the world saved for ``seed`` (a fresh one when there is none, when
    ``reset``, or when the file is damaged), kept in its file from now on; and a notice for the
    DBA: what was loaded, started afresh or set aside ("" for a first start).

    ``speed``: how many times faster than real time simulated time runs (None: as fast as the
    saved world ran). ``keep`` False only reads (the headless status and watch): nothing is
    written, and a damaged file raises ``DamagedWorld`` instead of being set aside.

    ``make_clock`` makes the sandbox's clock (a ``RealClock`` at ``speed`` unless given: tests
    pass a ``ManualClock``); ``wall`` is the wall clock that measures how long dms-tui was
    closed."""
    path = path or world_path(seed)
    if speed is None:
        speed = _saved_speed(path)
    run_at = speed

    def new_clock() -> Any:
        return make_clock() if make_clock is not None else RealClock(run_at)

    notice = ""
    if reset and keep and path.exists():
        try:
            path.unlink()
        except OSError as e:
            return Sandbox(seed, clock=new_clock()), (
                f"Sandbox: the saved world ({path}) could not be removed ({e.strerror}); a "
                "fresh world runs, and it is not kept."
            )
        notice = f"Sandbox: started afresh; the saved world ({path}) was removed."
    sandbox: Sandbox | None = None
    if path.exists():
        try:
            sandbox, notice = _load(path, seed, new_clock(), wall)
        except DamagedWorld as e:
            if not keep:
                raise
            try:
                kept = _set_aside(path, wall)
            except OSError as err:
                return Sandbox(seed, clock=new_clock()), (
                    f"Sandbox: the saved world could not be used ({e}), and it could not be "
                    f"set aside ({err.strerror}): a fresh world runs, and it is not kept."
                )
            notice = (
                f"Sandbox: the saved world could not be used ({e}), so a fresh world was "
                f"started. The damaged file was kept as {kept}."
            )
    if sandbox is None:
        sandbox = Sandbox(seed, clock=new_clock())
    if not keep:
        return sandbox, notice
    saver = SavedWorld(sandbox, path, speed, wall)
    saver.save()
    if saver.problem:
        notice = f"{notice} {saver.problem}".strip()
    return sandbox, notice


def _stamp(path: Path) -> tuple[int, int] | None:
    """Which version of the file is on disk (None: there is none)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns


def _saved_speed(path: Path) -> float:
    """The speed the saved world ran at (the default when there is none to read)."""
    try:
        speed = json.loads(path.read_text(encoding="utf-8")).get("speed")
    except (OSError, ValueError, AttributeError):
        return DEFAULT_SPEED
    ok = isinstance(speed, int | float) and not isinstance(speed, bool) and 0 < speed < math.inf
    return float(speed) if ok else DEFAULT_SPEED


def _set_aside(path: Path, wall: Wall) -> Path:
    stamp = datetime.fromtimestamp(wall(), tz=UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = path.with_name(f"{path.stem}.damaged-{stamp}.json")
    path.replace(kept)
    return kept


def _read(path: Path, seed: int) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise DamagedWorld(f"{path} cannot be read: {e.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise DamagedWorld(f"{path} is not valid JSON: {e}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise DamagedWorld(f"{path} is not a dms-tui sandbox world")
    if doc.get("version") != VERSION:
        raise DamagedWorld(
            f"{path} is version {doc.get('version')!r} of the format; "
            f"this dms-tui reads version {VERSION}"
        )
    for key in ("speed", "created", "simulated_now", "saved_at"):
        value = doc.get(key)
        if (
            not isinstance(value, int | float)
            or isinstance(value, bool)
            or not math.isfinite(value)
        ):
            raise DamagedWorld(f"{path} has no valid '{key}'")
    if doc.get("seed") != seed:
        raise DamagedWorld(f"{path} holds the world of seed {doc.get('seed')!r}, not {seed}")
    events = doc.get("events")
    if not isinstance(events, list) or not all(
        isinstance(e, dict) and e.get("kind") in KINDS for e in events
    ):
        raise DamagedWorld(f"{path} has a list of changes this dms-tui cannot read")
    return doc


def _load(path: Path, seed: int, clock: Any, wall: Wall) -> tuple[Sandbox, str]:
    doc = _read(path, seed)
    clock.hold(float(doc["created"]))
    sandbox = Sandbox(seed, clock=clock)
    try:
        replay(sandbox, doc["events"])
    except ReplayError as e:
        raise DamagedWorld(f"{path} could not be rebuilt: {e}") from None
    saved_now = max(float(doc["simulated_now"]), clock.now())
    closed = max(0.0, wall() - float(doc["saved_at"])) * max(float(doc["speed"]), 0.0)
    moved = min(closed, MAX_CLOSED_SECONDS)
    clock.hold(saved_now + moved)
    sandbox.simulate()
    clock.resume()
    changes = len(doc["events"])
    notice = (
        f"Sandbox: the saved world was loaded ({changes} change{'s' if changes != 1 else ''}); "
        f"{_span(moved)} of simulated time passed while dms-tui was closed"
        + (" (at most a day is added)" if closed > moved else "")
        + "."
    )
    return sandbox, notice


def _span(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 1:
        return f"{int(seconds)} s"
    if minutes < 120:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"
