"""The app's own deadline on driver calls: results and errors pass through; a call that
does not answer in time, is cancelled or is abandoned at quit stops being waited for, and
what it returns too late is cleaned up. No thread is left running."""

from __future__ import annotations

import threading
import time

import pytest

from tui.source import SourceError, SourceErrorKind, deadline


def sql_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("dms-tui-sql")]


@pytest.fixture
def gate():
    """An event a stuck call waits on; set at the end so its thread ends with the test."""
    event = threading.Event()
    yield event
    event.set()
    end = time.monotonic() + 10
    while sql_threads() and time.monotonic() < end:
        threading.Event().wait(0.01)
    assert not sql_threads()


def stuck(gate: threading.Event, value: object = "late"):
    def fn():
        gate.wait(30)
        return value

    return fn


def test_a_result_or_an_error_passes_through():
    assert deadline.call(lambda: 42, seconds=5, what="x") == 42
    with pytest.raises(KeyError):
        deadline.call(lambda: {}["k"], seconds=5, what="x")
    assert deadline.waiting() == 0


def test_the_deadline_ends_the_wait_and_a_late_value_is_cleaned_up(gate):
    late: list[object] = []
    started = time.monotonic()
    with pytest.raises(deadline.TimedOut) as info:
        deadline.call(stuck(gate), seconds=0.2, what="reading the inventory", late=late.append)
    assert time.monotonic() - started < 5
    assert info.value.kind is SourceErrorKind.TIMEOUT
    assert "within 0.2 seconds while reading the inventory" in info.value.message
    gate.set()
    end = time.monotonic() + 10
    while not late and time.monotonic() < end:
        threading.Event().wait(0.01)
    assert late == ["late"]


def test_the_caller_names_what_to_report_on_timeout(gate):
    with pytest.raises(SourceError, match="no answer to the login"):
        deadline.call(
            stuck(gate),
            seconds=0.1,
            what="x",
            timed_out=lambda: deadline.TimedOut(
                "no answer to the login", kind=SourceErrorKind.UNREACHABLE
            ),
        )


def test_a_cancel_event_ends_the_wait_even_without_a_deadline(gate):
    cancel = threading.Event()
    outcome: list[BaseException] = []

    def waiter():
        with deadline.cancelled_by(cancel):
            try:
                deadline.call(stuck(gate), seconds=None, what="the connection test")
            except deadline.Abandoned as exc:
                outcome.append(exc)

    thread = threading.Thread(target=waiter)
    thread.start()
    end = time.monotonic() + 10
    while deadline.waiting() == 0 and time.monotonic() < end:
        threading.Event().wait(0.01)
    cancel.set()
    thread.join(5)
    assert not thread.is_alive() and outcome
    assert outcome[0].kind is SourceErrorKind.CANCELLED
    assert "the connection test" in outcome[0].message
    with deadline.cancelled_by(cancel), pytest.raises(deadline.Abandoned):
        deadline.call(lambda: 1, seconds=None, what="x")  # already cancelled: not even started


def test_nested_calls_see_the_cancel_too(gate):
    cancel = threading.Event()
    inner_ended: list[str] = []

    def outer():
        try:
            deadline.call(stuck(gate), seconds=None, what="inner")
        except deadline.Abandoned:
            inner_ended.append("cancelled")
            raise

    with deadline.cancelled_by(cancel):
        timer = threading.Timer(0.1, cancel.set)
        timer.start()
        with pytest.raises(deadline.Abandoned):
            deadline.call(outer, seconds=None, what="outer")
        timer.join()
    end = time.monotonic() + 10
    while not inner_ended and time.monotonic() < end:
        threading.Event().wait(0.01)
    assert inner_ended == ["cancelled"]


def test_abandon_all_ends_every_wait_and_only_those(gate):
    results: list[BaseException] = []

    def waiter():
        try:
            deadline.call(stuck(gate), seconds=60, what="a backup")
        except deadline.Abandoned as exc:
            results.append(exc)

    threads = [threading.Thread(target=waiter) for _ in range(2)]
    for t in threads:
        t.start()
    end = time.monotonic() + 10
    while deadline.waiting() < 2 and time.monotonic() < end:
        threading.Event().wait(0.01)
    assert deadline.abandon_all() == 2
    for t in threads:
        t.join(5)
    assert len(results) == 2 and deadline.waiting() == 0
    assert all(t.daemon for t in sql_threads())
    assert deadline.call(lambda: "after", seconds=5, what="x") == "after"  # later calls run


def test_a_statement_that_never_answers_drops_its_connection(gate):
    """Through SqlServerSource: the app's deadline (query timeout + margin) ends the wait,
    the stuck connection is left to its thread and closed when the driver lets go, and the
    next call connects afresh."""
    from tests.helpers.source_fakes import FakeOdbc, FakeSqlServer

    class Hung(FakeSqlServer):
        def _q_row_counts(self, sql):
            gate.wait(30)
            return super()._q_row_counts(sql)

    odbc = FakeOdbc(Hung())
    from tui.source import SqlServerSource

    src = SqlServerSource("sqlprod01", user="sa", password="pw", query_timeout=1, _pyodbc=odbc)
    started = time.monotonic()
    with pytest.raises(SourceError) as info:
        src.row_counts("Sales")
    assert time.monotonic() - started < 1 + deadline.MARGIN + 2
    err = info.value
    assert err.kind is SourceErrorKind.TIMEOUT and err.sqlstate == "HYT00"
    assert "did not answer within 1 seconds while counting rows in Sales" in err.message
    assert "dropped" in err.hint
    assert src.server_info().major_version > 0  # a new connection, not the stuck one
    assert len(odbc.connections) == 2 and not odbc.connections[1].closed
    gate.set()
    end = time.monotonic() + 10
    while not odbc.connections[0].closed and time.monotonic() < end:
        threading.Event().wait(0.01)
    assert odbc.connections[0].closed
