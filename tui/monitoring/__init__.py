"""What the monitor does between two frames, with no Textual in it — one module per concern:

* ``schedule``: ``PollSchedule``, when the next refresh may start.
* ``fetch``: ``fetch_round``, one refresh (blocking, for a thread worker).
* ``buckets``: the state buckets and their counts at the top of the monitor.
* ``rows``: one line of the migration list, its filters and sort keys.
* ``history``: the session's samples and restore times per migration.
* ``restore``: managed instance / SQL VM backup files and restore progress.
* ``stall``: the stall detector — no backup, no progress, a blocked restore — and the fix.
* ``tables``: Azure SQL Database table-copy progress.
* ``table_order`` and ``table_changes``: the tables' order kept table by table, and what
  moved between two reads (counted on the worker).
* ``collector``: shorter pauses of the cycle collector once the monitor runs.
* ``problem``: a migration's problem in plain words, with the fix.
* ``actions``: which actions Azure allows now, and why not.
* ``fmt`` and ``clock``: text formatting, and the clock the monitor shows.
"""
