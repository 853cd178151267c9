"""The backup-folder preflight: does each database's folder hold what DMS needs?

``listing`` lists a folder with ``azure-storage-blob`` (through the Controller, which owns
the credential and the transport); ``chain`` works out the restore chain from the
history; ``rules`` compare it with the source's backup history
(one flat folder, the chain unbroken, no other database, no appended media, CHECKSUM, no
"backup" in a managed instance's container or folder, offline's last file last); ``run``
puts the two together for the summary step, the monitor and the stall detector. No Textual.
"""

from tui.preflight.run import FolderCheck, check_folders, check_listing, check_migration

__all__ = ["FolderCheck", "check_folders", "check_listing", "check_migration"]
