"""Moving server logins from the source SQL Server to a managed instance or a SQL VM.

After cutover an application fails until its logins exist on the target with the same SIDs
(the database users carry the SIDs across in the backup). This package reads the source's
logins (``inventory``), plans what happens to each on the target (``plan``), writes the
T-SQL (``tsql``), applies it one login at a time and maps orphaned database users
(``apply``). It works through ``endpoint.LoginEndpoint``: a real server over pyodbc
(``endpoint.SqlServerLogins``) or the sandbox's simulated one. No Textual here.
"""
