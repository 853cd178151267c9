"""dms-tui: migrate SQL Server databases to Azure with Azure Database Migration Service."""

__version__ = "0.1.0"
