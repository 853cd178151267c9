"""Copy keys, URLs and T-SQL out of the app: to the clipboard through the terminal (OSC 52,
``App.copy_to_clipboard``; works over SSH where the terminal allows it) and, for what is not
a secret, to a file the DBA can open and select whole. The status says both."""

from __future__ import annotations

from typing import Any


def copy_out(screen: Any, what: str, text: str, *, file_name: str = "", folder: Any = None) -> None:
    """Copy ``text`` (``what`` names it: "Auth key 1", "Tail-log T-SQL"). With
    ``file_name`` (never for a secret) it is also written there, off the event loop."""
    screen.app.copy_to_clipboard(text)
    copied = f"{what} copied to the clipboard (terminals with OSC 52)"
    if not file_name:
        screen.notify(f"{copied}.", timeout=6, markup=False)
        return
    from tui.copy_out import save_text

    screen.run_blocking(
        save_text,
        file_name,
        text,
        folder,
        on_done=lambda path: screen.notify(
            f"{copied}, and written whole to {path}", timeout=12, markup=False
        ),
        on_error=lambda error: screen.notify(
            f"{copied}; not written to a file: {error.full_text}",
            severity="warning",
            timeout=12,
            markup=False,
        ),
        group="copy-out",
    )
