"""Microsoft's request/response examples of the DMS REST API, kept in tests/data/dms-rest."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "dms-rest" / "examples"


def load_example(name: str) -> dict[str, Any]:
    """The example ``name`` (without ``.json``); a missing file fails the test, never skips it."""
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
