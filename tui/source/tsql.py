"""Every T-SQL statement the app runs on, or shows for, a SQL Server.

Each query is a named constant with a comment saying what it returns (columns, one row per
what). Statements that carry a database name, a path or a URL are built by the functions at the
end, which escape every name and value through ``tui.source.quote`` (identifiers as
``QUOTENAME`` writes them, values as ``N'...'`` literals); nothing is ever pasted in
unquoted.
Queries stay valid from SQL Server 2008 to 2022: columns that newer versions add are read
through ``sys.all_columns`` checks, never referenced directly.
"""

from __future__ import annotations

from collections.abc import Sequence

from tui.source import quote

# --------------------------------------------------------------------------- queries
#
# Each query starts with a ``-- dms-tui:<name>`` tag, so a DBA watching a trace (and the
# tests' fake connection) can tell which one is running.

# SERVER_INFO -> one row:
#   product_version nvarchar  '16.0.4135.4'      product_level nvarchar  'RTM' / 'SP4'
#   edition         nvarchar  'Developer Edition (64-bit)'
#   engine_edition  int       2 Standard, 3 Enterprise/Developer, 4 Express, 5 SQL Database,
#                             8 Managed Instance
#   server_name     nvarchar  @@SERVERNAME (NULL when not set)
#   machine_name    nvarchar
#   host_platform   nvarchar  'Windows' / 'Linux'
#   is_sysadmin     int       1 / 0
#   login_name      nvarchar  the login this connection signed in as
SERVER_INFO = """-- dms-tui:server_info
SELECT
    CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)) AS product_version,
    CAST(SERVERPROPERTY('ProductLevel') AS nvarchar(128)) AS product_level,
    CAST(SERVERPROPERTY('Edition') AS nvarchar(128)) AS edition,
    CAST(SERVERPROPERTY('EngineEdition') AS int) AS engine_edition,
    CAST(@@SERVERNAME AS nvarchar(128)) AS server_name,
    CAST(SERVERPROPERTY('MachineName') AS nvarchar(128)) AS machine_name,
    CASE WHEN @@VERSION LIKE N'%Linux%' THEN N'Linux' ELSE N'Windows' END AS host_platform,
    CAST(ISNULL(IS_SRVROLEMEMBER('sysadmin'), 0) AS int) AS is_sysadmin,
    SUSER_SNAME() AS login_name;
"""

# DATABASES -> one batch, one round trip, four result sets:
#  1. one row per database (snapshots left out):
#     database_id int, name nvarchar, state_desc nvarchar ('ONLINE', 'OFFLINE', 'RESTORING',
#     'RECOVERY_PENDING', 'SUSPECT', 'EMERGENCY'), recovery_model_desc nvarchar ('FULL',
#     'BULK_LOGGED', 'SIMPLE'), compatibility_level int, is_read_only bit, user_access_desc
#     nvarchar ('MULTI_USER', 'SINGLE_USER', 'RESTRICTED_USER'), is_encrypted bit (TDE on),
#     containment_desc nvarchar ('NONE' / 'PARTIAL'; always 'NONE' before 2012),
#     data_size_mb float, log_size_mb float
#  2. one row per file of every database (sys.master_files, readable even when a database is
#     offline): database_id int, file_id int, logical_name nvarchar, type_desc nvarchar
#     ('ROWS', 'LOG', 'FILESTREAM' (also memory-optimized containers), 'FULLTEXT'),
#     physical_name nvarchar, size_mb float, data_space_id int (0 for log files)
#  3. one row per filegroup of every database that is online and readable:
#     database_id int, data_space_id int, filegroup_name nvarchar, filegroup_type nvarchar
#     ('FG' rows, 'FD' FILESTREAM, 'FX' memory-optimized)
#  4. one row per database that is online and readable: database_id int, table_count int
#     (user tables), filetable_count int (always 0 before 2012)
# Columns that only newer versions have (containment_desc, is_filetable) are looked up first
# and read through dynamic SQL, so the batch compiles on SQL Server 2008. A database that
# cannot be read is skipped in sets 3 and 4 instead of failing the batch.
DATABASES = """-- dms-tui:databases
SET NOCOUNT ON;
DECLARE @has_containment bit, @has_filetable bit, @sql nvarchar(max), @id int, @name sysname;
SET @has_containment = CASE WHEN COL_LENGTH('sys.databases', 'containment_desc') IS NULL
                            THEN 0 ELSE 1 END;
SET @has_filetable = CASE WHEN COL_LENGTH('sys.tables', 'is_filetable') IS NULL
                          THEN 0 ELSE 1 END;

SET @sql = N'SELECT d.database_id, d.name, d.state_desc, d.recovery_model_desc,
    CAST(d.compatibility_level AS int) AS compatibility_level, d.is_read_only,
    d.user_access_desc, d.is_encrypted, '
    + CASE WHEN @has_containment = 1 THEN N'd.containment_desc'
           ELSE N'CAST(N''NONE'' AS nvarchar(60))' END + N' AS containment_desc,
    CAST(ISNULL((SELECT SUM(CAST(mf.size AS bigint)) FROM sys.master_files AS mf
                 WHERE mf.database_id = d.database_id AND mf.type <> 1), 0)
         * 8 / 1024.0 AS float) AS data_size_mb,
    CAST(ISNULL((SELECT SUM(CAST(mf.size AS bigint)) FROM sys.master_files AS mf
                 WHERE mf.database_id = d.database_id AND mf.type = 1), 0)
         * 8 / 1024.0 AS float) AS log_size_mb
FROM sys.databases AS d
WHERE d.source_database_id IS NULL
ORDER BY d.name;';
EXEC sys.sp_executesql @sql;

SELECT mf.database_id, mf.file_id, mf.name AS logical_name, mf.type_desc, mf.physical_name,
       CAST(CAST(mf.size AS bigint) * 8 / 1024.0 AS float) AS size_mb, mf.data_space_id
FROM sys.master_files AS mf
ORDER BY mf.database_id, mf.file_id;

IF OBJECT_ID('tempdb..#dms_filegroups') IS NOT NULL DROP TABLE #dms_filegroups;
IF OBJECT_ID('tempdb..#dms_tables') IS NOT NULL DROP TABLE #dms_tables;
CREATE TABLE #dms_filegroups (database_id int NOT NULL, data_space_id int NOT NULL,
                              filegroup_name nvarchar(128) NOT NULL,
                              filegroup_type nvarchar(2) NOT NULL);
CREATE TABLE #dms_tables (database_id int NOT NULL, table_count int NOT NULL,
                          filetable_count int NOT NULL);

DECLARE dms_dbs CURSOR LOCAL FAST_FORWARD FOR
    SELECT database_id, name FROM sys.databases
    WHERE state = 0 AND source_database_id IS NULL AND HAS_DBACCESS(name) = 1;
OPEN dms_dbs;
FETCH NEXT FROM dms_dbs INTO @id, @name;
WHILE @@FETCH_STATUS = 0
BEGIN
    BEGIN TRY
        SET @sql = N'SELECT ' + CAST(@id AS nvarchar(10)) + N', data_space_id, name, type FROM '
                 + QUOTENAME(@name) + N'.sys.filegroups;';
        INSERT INTO #dms_filegroups EXEC sys.sp_executesql @sql;
        SET @sql = N'SELECT ' + CAST(@id AS nvarchar(10)) + N', COUNT(*), '
                 + CASE WHEN @has_filetable = 1
                        THEN N'ISNULL(SUM(CASE WHEN is_filetable = 1 THEN 1 ELSE 0 END), 0)'
                        ELSE N'0' END
                 + N' FROM ' + QUOTENAME(@name) + N'.sys.tables WHERE is_ms_shipped = 0;';
        INSERT INTO #dms_tables EXEC sys.sp_executesql @sql;
    END TRY
    BEGIN CATCH
        -- unreadable (e.g. a non-readable availability group secondary):
        -- sys.master_files facts stand
    END CATCH;
    FETCH NEXT FROM dms_dbs INTO @id, @name;
END;
CLOSE dms_dbs;
DEALLOCATE dms_dbs;

SELECT database_id, data_space_id, filegroup_name, filegroup_type
FROM #dms_filegroups ORDER BY database_id, data_space_id;
SELECT database_id, table_count, filetable_count
FROM #dms_tables ORDER BY database_id;
DROP TABLE #dms_filegroups;
DROP TABLE #dms_tables;
"""

# BACKUP_HISTORY -> one row per backup media family (stripe) of the backups that matter:
# the latest full ('D'), the latest differential ('I') and the latest log ('L') of every
# database, plus the log backups taken since the latest full (at most 500 per database),
# from the current recovery fork only: msdb rows of an earlier incarnation of the database
# (dropped and re-created, or restored over) or of an older fork are left out by matching
# database_guid and recovery fork with sys.database_recovery_status. Databases that are not
# online have no recovery status; their history is matched by name.
#   backup_set_id int, database_name nvarchar, type char(1) ('D', 'I', 'L'),
#   backup_start_date datetime, backup_finish_date datetime,
#   first_lsn, last_lsn, checkpoint_lsn, database_backup_lsn, differential_base_lsn
#     numeric(25,0) (differential_base_lsn NULL for full and log backups),
#   has_backup_checksums bit, is_copy_only bit, backup_size numeric(20,0),
#   compressed_backup_size numeric(20,0), position int (> 1: appended to a media set),
#   physical_device_name nvarchar (path or URL), device_type tinyint (2 disk, 7 virtual
#   device, 9 URL), family_sequence_number tinyint, media_family_count tinyint (stripes)
# Ordered by database, finish time, backup set and stripe.
BACKUP_HISTORY = """-- dms-tui:backup_history
SET NOCOUNT ON;
WITH fork AS (
    SELECT d.name, rs.database_guid, rs.recovery_fork_guid
    FROM sys.databases AS d
    LEFT JOIN sys.database_recovery_status AS rs ON rs.database_id = d.database_id
    WHERE d.source_database_id IS NULL
), sets AS (
    SELECT b.backup_set_id, b.database_name, b.type, b.backup_start_date, b.backup_finish_date,
           b.first_lsn, b.last_lsn, b.checkpoint_lsn, b.database_backup_lsn,
           b.differential_base_lsn, b.has_backup_checksums, b.is_copy_only, b.backup_size,
           b.compressed_backup_size, b.position, b.media_set_id,
           ROW_NUMBER() OVER (PARTITION BY b.database_name, b.type
                              ORDER BY b.backup_finish_date DESC, b.backup_set_id DESC) AS recent
    FROM msdb.dbo.backupset AS b
    JOIN fork AS f ON f.name COLLATE DATABASE_DEFAULT = b.database_name COLLATE DATABASE_DEFAULT
    WHERE b.type IN ('D', 'I', 'L')
      AND b.backup_finish_date IS NOT NULL
      AND (f.database_guid IS NULL
           OR (b.database_guid = f.database_guid
               AND b.last_recovery_fork_guid = f.recovery_fork_guid))
), latest_full AS (
    SELECT database_name, checkpoint_lsn FROM sets WHERE type = 'D' AND recent = 1
)
SELECT s.backup_set_id, s.database_name, s.type, s.backup_start_date, s.backup_finish_date,
       s.first_lsn, s.last_lsn, s.checkpoint_lsn, s.database_backup_lsn, s.differential_base_lsn,
       s.has_backup_checksums, s.is_copy_only, s.backup_size, s.compressed_backup_size,
       s.position, mf.physical_device_name, mf.device_type, mf.family_sequence_number,
       ms.media_family_count
FROM sets AS s
LEFT JOIN latest_full AS lf ON lf.database_name = s.database_name
JOIN msdb.dbo.backupmediafamily AS mf ON mf.media_set_id = s.media_set_id AND mf.mirror = 0
JOIN msdb.dbo.backupmediaset AS ms ON ms.media_set_id = s.media_set_id
WHERE s.recent = 1
   OR (s.type = 'L' AND s.recent <= 500 AND s.last_lsn > lf.checkpoint_lsn)
ORDER BY s.database_name, s.backup_finish_date, s.backup_set_id, mf.family_sequence_number;
"""

# ROW_COUNTS -> one row per user table (run in the database's context, see
# ``row_counts_tsql``): schema_name nvarchar, table_name nvarchar, row_count bigint (heap or
# clustered index rows summed over partitions, from sys.dm_db_partition_stats; needs VIEW
# DATABASE STATE). Ordered by schema and table.
ROW_COUNTS = """-- dms-tui:row_counts
SELECT s.name AS schema_name, t.name AS table_name,
       CAST(SUM(ps.row_count) AS bigint) AS row_count
FROM sys.tables AS t
JOIN sys.schemas AS s ON s.schema_id = t.schema_id
JOIN sys.dm_db_partition_stats AS ps ON ps.object_id = t.object_id AND ps.index_id IN (0, 1)
WHERE t.is_ms_shipped = 0
GROUP BY s.name, t.name
ORDER BY s.name, t.name;
"""

# ROW_COUNTS_METADATA -> the same columns as ROW_COUNTS from sys.partitions, which needs no
# VIEW DATABASE STATE permission (used when ROW_COUNTS is refused).
ROW_COUNTS_METADATA = """-- dms-tui:row_counts_metadata
SELECT s.name AS schema_name, t.name AS table_name, CAST(SUM(p.rows) AS bigint) AS row_count
FROM sys.tables AS t
JOIN sys.schemas AS s ON s.schema_id = t.schema_id
JOIN sys.partitions AS p ON p.object_id = t.object_id AND p.index_id IN (0, 1)
WHERE t.is_ms_shipped = 0
GROUP BY s.name, t.name
ORDER BY s.name, t.name;
"""


# --------------------------------------------------------------------------- quoting
# ``tui.source.quote`` is the one module that escapes names and literals; they are
# re-exported here because every builder below uses them.

quote_name = quote.quote_name
quote_string = quote.quote_string
quote_table = quote.quote_table
split_table_name = quote.split_table_name


def backup_url(url: str) -> str:
    """Check a backup URL: https, no SAS query string (that belongs in the credential)."""
    text = (url or "").strip()
    if not text.lower().startswith("https://"):
        raise ValueError(f"backup URL {text!r} must start with https://")
    if "?" in text:
        raise ValueError(
            "the backup URL must not carry a SAS token; "
            "put the SAS in the server credential for the container"
        )
    if any(ord(ch) < 32 for ch in text):
        raise ValueError("the backup URL contains control characters")
    return text


def container_of(url: str) -> str:
    """``https://acct.blob.core.windows.net/container/db/file.trn`` -> the container URL."""
    text = backup_url(url)
    scheme_host, _, path = text[len("https://") :].partition("/")
    container = path.split("/", 1)[0]
    if not container:
        raise ValueError(f"{text!r} names no container")
    return f"https://{scheme_host}/{container}"


def backup_file(path: str) -> str:
    """Check a backup file on disk or an SMB share: a path, with no control characters."""
    text = (path or "").strip()
    if not text:
        raise ValueError("no backup file given")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise ValueError("the backup file path contains control characters")
    return text


def _to_urls(url: str | Sequence[str]) -> str:
    urls = [url] if isinstance(url, str) else list(url)
    if not urls:
        raise ValueError("no backup URL given")
    return ", ".join(f"URL = {quote_string(backup_url(u), 'backup URL')}" for u in urls)


def _log_options(tail: bool, compression: bool) -> str:
    options = ["NORECOVERY"] if tail else []
    if compression:
        options.append("COMPRESSION")
    options += ["CHECKSUM", "STATS = 10"]
    return ", ".join(options)


def backup_log_tsql(
    db: str, url: str | Sequence[str], tail: bool = False, *, compression: bool = True
) -> str:
    """``BACKUP LOG`` to one URL (or several, striped) with CHECKSUM.

    ``tail=True`` is the cutover's tail-log backup: ``NORECOVERY`` leaves the source database
    RESTORING, so no transaction can reach it after the last log is taken. ``compression``
    must be off on Express edition, which cannot compress backups.
    """
    return (
        f"BACKUP LOG {quote_name(db, 'database name')} TO {_to_urls(url)} "
        f"WITH {_log_options(tail, compression)};"
    )


def backup_log_to_disk_tsql(
    db: str, path: str, tail: bool = False, *, compression: bool = True
) -> str:
    """``BACKUP LOG`` to a file (an SMB share DMS reads through the integration runtime)."""
    target = quote_string(backup_file(path), "backup file path")
    return (
        f"BACKUP LOG {quote_name(db, 'database name')} TO DISK = {target} "
        f"WITH {_log_options(tail, compression)};"
    )


def backup_full_tsql(
    db: str, url: str | Sequence[str], *, compression: bool = True, copy_only: bool = False
) -> str:
    """``BACKUP DATABASE`` (full) to URL with CHECKSUM: the first backup DMS restores."""
    options = ["INIT"]
    if copy_only:
        options.append("COPY_ONLY")
    if compression:
        options.append("COMPRESSION")
    options += ["CHECKSUM", "STATS = 10"]
    return (
        f"BACKUP DATABASE {quote_name(db, 'database name')} TO {_to_urls(url)} "
        f"WITH {', '.join(options)};"
    )


SAS_PLACEHOLDER = "<SAS token>"


def create_credential_tsql(container_url: str) -> str:
    """The server credential ``BACKUP ... TO URL`` uses, named after the container URL.

    The secret is always the placeholder ``<SAS token>``: the DBA pastes a SAS (without its
    leading ``?``) with read, write, list and create rights on the container. Any existing
    credential of that name is dropped first so the statement can be rerun.
    """
    container = container_of(container_url.strip().rstrip("/"))
    name = quote_name(container, "credential name")
    return (
        f"IF EXISTS (SELECT 1 FROM sys.credentials WHERE name = "
        f"{quote_string(container, 'credential name')})\n"
        f"    DROP CREDENTIAL {name};\n"
        f"CREATE CREDENTIAL {name}\n"
        f"    WITH IDENTITY = 'SHARED ACCESS SIGNATURE',\n"
        f"    SECRET = '{SAS_PLACEHOLDER}';  -- the SAS token, without the leading '?'"
    )


def set_recovery_full_tsql(db: str) -> str:
    """Switch a database to the FULL recovery model (online migrations need it)."""
    return f"ALTER DATABASE {quote_name(db, 'database name')} SET RECOVERY FULL;"


def set_online_tsql(db: str) -> str:
    """Bring an OFFLINE database back online."""
    return f"ALTER DATABASE {quote_name(db, 'database name')} SET ONLINE;"


def recover_database_tsql(db: str) -> str:
    """End a restore sequence: a RESTORING database comes online (no more backups apply)."""
    return f"RESTORE DATABASE {quote_name(db, 'database name')} WITH RECOVERY;"


def tde_pfx_file(db: str) -> str:
    """The file name a database's exported TDE certificate is given: its name, made safe."""
    cleaned = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in db).strip("_")
    return f"{cleaned or 'database'}_tde.pfx"


def find_tde_certificate_tsql(db: str) -> str:
    """Which certificate in master protects ``db``'s database encryption key."""
    return (
        "SELECT c.name, c.thumbprint\n"
        "FROM master.sys.certificates AS c\n"
        "JOIN sys.dm_database_encryption_keys AS k\n"
        "  ON k.encryptor_thumbprint = c.thumbprint\n"
        f"WHERE k.database_id = DB_ID({quote_string(db, 'database name')});"
    )


def export_tde_certificate_tsql(db: str, certificate: str = "") -> str:
    """Export the certificate with its private key as one PFX file (SQL Server 2022 and
    later), in master. ``certificate`` unknown: a placeholder the DBA replaces with the
    name ``find_tde_certificate_tsql`` shows. The password stays a placeholder: the DBA
    types it on the source and again in this app, never into a file."""
    name = quote_name(certificate, "certificate name") if certificate else "[<certificate>]"
    return (
        f"BACKUP CERTIFICATE {name}\n"
        f"    TO FILE = {quote_string(tde_pfx_file(db), 'file name')}\n"
        "    WITH FORMAT = 'PFX',\n"
        "    PRIVATE KEY (ENCRYPTION BY PASSWORD = '<password>',\n"
        "                 ALGORITHM = 'AES_256');"
    )


def restore_tde_certificate_tsql(db: str, certificate: str = "") -> str:
    """On a SQL Server VM (2022 or later), in master: create the certificate from the PFX."""
    name = quote_name(certificate, "certificate name") if certificate else "[<certificate>]"
    return (
        "IF NOT EXISTS (SELECT 1 FROM sys.symmetric_keys\n"
        "               WHERE name = '##MS_DatabaseMasterKey##')\n"
        "    CREATE MASTER KEY\n"
        "        ENCRYPTION BY PASSWORD = '<a new strong password>';\n"
        f"CREATE CERTIFICATE {name}\n"
        f"    FROM FILE = {quote_string(tde_pfx_file(db), 'file name')}\n"
        "    WITH FORMAT = 'PFX',\n"
        "    PRIVATE KEY (DECRYPTION BY PASSWORD = '<password>');"
    )


def set_multi_user_tsql(db: str) -> str:
    return f"ALTER DATABASE {quote_name(db, 'database name')} SET MULTI_USER;"


def in_database(db: str, statement: str) -> str:
    """Run ``statement`` in ``db``'s context in one call: ``EXEC [db].sys.sp_executesql N'...'``.

    Works on SQL Server, managed instance and (for the database the connection is in) Azure
    SQL Database, where ``USE`` is not available.
    """
    return (
        f"EXEC {quote_name(db, 'database name')}.sys.sp_executesql "
        f"{quote_string(statement, 'statement')};"
    )


def row_counts_tsql(db: str, *, metadata_only: bool = False) -> str:
    """ROW_COUNTS (or ROW_COUNTS_METADATA) run inside ``db``."""
    return in_database(db, ROW_COUNTS_METADATA if metadata_only else ROW_COUNTS)


def exact_counts_tsql(db: str, tables: Sequence[tuple[str, str]]) -> str:
    """EXACT_COUNTS -> one row per ``(schema, table)`` given, in that order:
    schema_name nvarchar, table_name nvarchar, row_count bigint (``COUNT_BIG(*)``, a full scan).
    One statement (``UNION ALL``) run inside ``db``."""
    if not tables:
        raise ValueError("no tables to count")
    parts = [
        f"SELECT {quote_string(schema, 'schema name')} AS schema_name, "
        f"{quote_string(table, 'table name')} AS table_name, COUNT_BIG(*) AS row_count "
        f"FROM {quote_name(schema, 'schema name')}.{quote_name(table, 'table name')}"
        for schema, table in tables
    ]
    return in_database(db, "-- dms-tui:exact_counts\n" + "\nUNION ALL\n".join(parts) + ";")
