"""The benchmarks' harness (benchmarks/harness.py: counting drivers, scripted contexts), for
tests that drive the app the way the benchmarks measure it."""

from __future__ import annotations

import sys
from pathlib import Path

_BENCHMARKS = str(Path(__file__).resolve().parents[2] / "benchmarks")
if _BENCHMARKS not in sys.path:
    sys.path.insert(0, _BENCHMARKS)

import harness  # noqa: E402

__all__ = ["harness"]
