"""Where dms-tui keeps its files: the user's config dir (``platformdirs``), or ``DMS_TUI_HOME``
when it is set (tests, shared jump boxes). Projects, exports and the sandbox's saved world live
under it."""

from __future__ import annotations

import os
from pathlib import Path


def home() -> Path:
    override = os.environ.get("DMS_TUI_HOME")
    if override:
        return Path(override)
    from platformdirs import user_config_path

    return user_config_path("dms-tui", appauthor=False)
