"""Blocking calls off the event loop, for every screen and dialog: ``run_blocking``.

``self.run_blocking(fn, *args, on_done=..., on_error=..., group=...)`` runs ``fn`` in a
thread worker; its result or its failure comes back as a message, so ``on_done`` and
``on_error`` run on the UI thread — the only thread that changes a screen, the wizard or
the app's context. The worker itself never writes shared state.

A failure reaches ``on_error`` as a ``DmsTuiError`` (plain words, the original code kept).
One that is not a ``DmsTuiError`` is a failure nobody expected: it is also shown as a
notification. Without ``on_error`` the screen's ``work_failed`` handles it (by default: a
notification), so no failure goes unreported — dialogs included. The answer of a worker
that was cancelled (a newer one of its exclusive group, or the screen going away) is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.message import Message
from textual.worker import Worker, WorkerState, get_current_worker

from tui.errors import DmsTuiError


@dataclass
class WorkDone(Message):
    """A blocking call finished; ``on_done`` gets its result on the UI thread."""

    result: Any
    on_done: Callable[[Any], None] | None


@dataclass
class WorkFailed(Message):
    """The one failure message of every screen's workers."""

    error: DmsTuiError
    on_error: Callable[[DmsTuiError], None] | None
    unexpected: BaseException | None = None  # not a DmsTuiError: a failure nobody expected


def as_error(exc: BaseException) -> DmsTuiError:
    """Any failure as the app's error type: plain words, the original code kept."""
    if isinstance(exc, DmsTuiError):
        return exc
    from tui.azure_errors import translate

    return translate(exc)


class Workers:
    """Mixed into ``BaseScreen`` and the modal dialogs (which are not ``BaseScreen``\\ s).

    Handlers are found by Textual's naming convention (``on_work_done``), which reaches
    methods of a mixin; a ``@on`` decorator here would not be seen."""

    def run_blocking(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[DmsTuiError], None] | None = None,
        group: str = "default",
        exclusive: bool = True,
        **kwargs: Any,
    ) -> Worker[None]:
        """Run ``fn(*args, **kwargs)`` in a thread; ``on_done(result)`` or
        ``on_error(error)`` then runs on the UI thread. ``exclusive`` cancels the running
        worker of the same ``group`` (its answer is dropped)."""
        node: Any = self

        def call() -> None:
            worker = get_current_worker()
            try:
                result = fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - every failure is reported below
                if not worker.is_cancelled:
                    odd = None if isinstance(exc, DmsTuiError) else exc
                    node.post_message(WorkFailed(as_error(exc), on_error, odd))
                return
            if not worker.is_cancelled:
                node.post_message(WorkDone(result, on_done))

        name = getattr(fn, "__name__", "work")
        return node.run_worker(
            call, name=name, group=group, thread=True, exclusive=exclusive, exit_on_error=False
        )

    def on_work_done(self, message: WorkDone) -> None:
        message.stop()
        if message.on_done is not None:
            message.on_done(message.result)

    def on_work_failed(self, message: WorkFailed) -> None:
        message.stop()
        if message.unexpected is not None and message.on_error is not None:
            node: Any = self
            node.app.show_error(message.unexpected)
        if message.on_error is not None:
            message.on_error(message.error)
        else:
            self.work_failed(message.error)

    def work_failed(self, error: DmsTuiError) -> None:
        """A failure with no ``on_error``: shown as a notification."""
        node: Any = self
        node.app.show_error(error)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker of this screen that fails outside ``run_blocking`` is reported too, and
        the screen is put back in a state the DBA can act on (``worker_failed``). Worker
        messages do not bubble, so the app's own handler never sees a screen's workers."""
        me: object = self
        if event.state == WorkerState.ERROR and event.worker.node is me:
            node: Any = self
            node.app.show_error(event.worker.error)
            self.worker_failed(event.worker.error)

    def worker_failed(self, error: BaseException | None) -> None:
        """Undo "in progress" displays after a worker's unexpected failure."""
