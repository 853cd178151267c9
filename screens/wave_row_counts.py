"""The wave's row counts once its cutovers have Succeeded: the target's login asked once,
every database counted source against target. Mixed into ``WaveCutoverScreen``."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from tui.errors import DmsTuiError
from tui.wave import Wave

if TYPE_CHECKING:
    from textual import getters
    from textual.screen import ModalScreen

    from screens.workers import Workers
    from tui.app import DmsTuiApp

    class _Base(Workers, ModalScreen[Any]):
        app = getters.app(DmsTuiApp)

else:
    _Base = object


class WaveRowCounts(_Base):
    wave: Wave
    validating: set[str]
    validation_started: bool

    if TYPE_CHECKING:  # the dialog's own

        def _now(self) -> datetime: ...
        def _note(self, text: str) -> None: ...
        def _source(self, key: str) -> Any: ...
        def render_wave(self) -> None: ...

    def _maybe_validate(self) -> None:
        """Once every cutover sent has Succeeded: the row counts of them all."""
        w = self.wave
        if not self.validation_started and w.succeeded and w.wave_downtime is not None:
            self.validation_started = True
            self.action_validate()

    def action_validate(self) -> None:
        done = self.wave.succeeded
        if not done:
            self.notify("Row counts come once a cutover of the wave has Succeeded.")
            return
        from screens.target_login import TargetLoginScreen
        from tui.context import SourceParams

        first = done[0].detail
        source = self._source(first.id.lower())
        logins = self.app.context.target_logins
        key = (first.target_id or first.target_name).lower()
        shown = logins.get(key) or SourceParams(
            server="",
            user=getattr(source, "user", ""),
            authentication="entra" if getattr(source, "authentication", "") == "entra" else "sql",
        )

        def got(login: SourceParams | None) -> None:
            if login is None:
                self._note("Row counts not taken: no target login (ctrl+g asks again).")
                return
            logins[key] = login
            self._count_all(login)

        entra = getattr(self.app.context, "credential", None) is not None
        self.app.push_screen(
            TargetLoginScreen(first.target_name or "the target", shown, entra=entra), got
        )

    def _count_all(self, login: Any) -> None:
        from tui.row_validation import validate_on_target

        ctx = self.app.context
        for m in self.wave.succeeded:
            if m.key in self.validating:
                continue
            self.validating.add(m.key)
            self._note(f"Counting the rows of {m.database}, source against target…")
            self.run_blocking(
                validate_on_target,
                ctx,
                m.detail,
                self._source(m.key),
                login,
                source_counts=ctx.source_counts.get(m.key),
                on_done=partial(self._counted, m.key),
                on_error=partial(self._not_counted, m.key),
                group=f"wave-rows-{m.key}",
                exclusive=False,
            )

    def _counted(self, key: str, report: Any) -> None:
        self.validating.discard(key)
        self.wave.validated(key, report, self._now())
        self.render_wave()

    def _not_counted(self, key: str, error: DmsTuiError) -> None:
        self.validating.discard(key)
        self.wave.validation_failed(key, error.full_text, self._now())
        self.render_wave()
