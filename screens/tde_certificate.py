"""Move a TDE database's certificate to the target, so its backups can be restored there.

Managed instance: the T-SQL that exports the certificate as a PFX on the source is shown; the
DBA copies the file to this machine, types its path and its password, and Ctrl+O uploads it
(one request; a second key press while it is in flight sends nothing). The password is
masked, held only for the upload and never saved or logged; the file is read in a worker.
SQL Server on a VM: Azure has no upload; the T-SQL to export it and to create it on the VM
is shown, and Ctrl+O records the DBA's word that it is done.

Returns ``True`` once the certificate is on the target (uploaded, or confirmed), else
``False`` (Escape).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from screens.workers import Workers
from tui.errors import DmsTuiError
from tui.models import TargetKind
from tui.source import tsql
from widgets.compact import steady_cursors
from widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from textual import getters

    from tui.app import DmsTuiApp

MAX_PFX_BYTES = 1024 * 1024  # a PFX with one certificate and its key is a few kilobytes


def read_pfx(path_text: str) -> bytes:
    """The PFX file's bytes, or an error naming the field and the fix."""
    path = Path(path_text.strip()).expanduser()
    if not path_text.strip():
        raise DmsTuiError(
            "Certificate file: type the path of the .pfx copied from the source.",
            code="NoCertificateFile",
        )
    try:
        size = path.stat().st_size
        if size > MAX_PFX_BYTES:
            raise DmsTuiError(
                f"Certificate file: {path} is {size:,} bytes — not one exported certificate.",
                code="NotACertificate",
                hint="Pick the .pfx written by BACKUP CERTIFICATE ... WITH FORMAT = 'PFX'.",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise DmsTuiError(
            f"Certificate file: {path} can't be read ({exc.strerror or exc}).",
            code="CertificateFileUnreadable",
            hint="Copy the .pfx to this machine and type its full path.",
        ) from exc
    if not data:
        raise DmsTuiError(
            f"Certificate file: {path} is empty.",
            code="EmptyCertificate",
            hint="Export the certificate again and copy the whole file.",
        )
    return data


class TdeCertificateScreen(Workers, ModalScreen[bool]):
    CSS_PATH = "tde_certificate.tcss"
    BINDINGS = [
        # the footer says what ctrl+o does here: uploads to a managed instance; on a SQL VM,
        # records the DBA's word that the certificate is there
        Binding(
            "ctrl+o",
            "done",
            "Upload",
            id="tde.upload",
            tooltip="Upload the certificate to the managed instance (one request)",
            priority=True,
        ),
        Binding(
            "ctrl+o",
            "confirm",
            "Done",
            id="tde.done",
            tooltip="Confirm the certificate has been created on the SQL VM",
            priority=True,
        ),
        Binding(
            "escape",
            "back_out",
            "Back",
            id="tde.back_out",
            tooltip="Close; nothing more is sent",
        ),
        Binding(
            "f5",
            "sandbox_export",
            "Export (sandbox)",
            id="tde.sandbox_export",
            tooltip="Sandbox: the simulated source exports the certificate as a PFX",
        ),
    ]
    if TYPE_CHECKING:  # as in screens.base: ``self.app`` typed for the checker only
        app = getters.app(DmsTuiApp)

    def __init__(self, database: str, kind: TargetKind, target_name: str, target_id: str):
        super().__init__()
        self.database = database
        self.kind = kind
        self.target_name = target_name
        self.target_id = target_id
        self.uploading = False

    @property
    def is_vm(self) -> bool:
        return self.kind is TargetKind.SQL_VM

    def compose(self) -> ComposeResult:
        db = self.database
        with Vertical(id="tde-dialog"):
            yield Static(
                f"TDE certificate of {db} → {self.target_name}", id="tde-title", markup=False
            )
            with VerticalScroll(id="tde-body"):
                yield Static(
                    "1) On the source (SQL Server 2022 or later), in master, find the "
                    "certificate that protects the database's key, then export it with its "
                    "private key under a password of your choice:",
                    markup=False,
                )
                yield Static(
                    tsql.find_tde_certificate_tsql(db)
                    + "\n"
                    + tsql.export_tde_certificate_tsql(db),
                    id="tde-tsql",
                    classes="tsql",
                    markup=False,
                )
                yield Static(
                    "Older versions: BACKUP CERTIFICATE ... TO FILE = '<name>.cer' WITH "
                    "PRIVATE KEY (FILE = '<name>.pvk', ENCRYPTION BY PASSWORD = ...), then "
                    "pvk2pfx makes the .pfx.",
                    classes="hint",
                    markup=False,
                )
                if self.is_vm:
                    yield from self._compose_vm()
                else:
                    yield from self._compose_mi()
                yield Static("", id="tde-result", markup=False)
        yield KeyFooter()

    def _compose_mi(self) -> ComposeResult:
        yield Static(
            f"2) Copy the .pfx to this machine; type its path and its password; Ctrl+O "
            f"uploads it to {self.target_name}. The password is not saved or shown.",
            markup=False,
        )
        with Horizontal(classes="tde-row"):
            yield Static("PFX file", classes="tde-label")
            yield Input(placeholder=tsql.tde_pfx_file(self.database), id="tde-file")
        with Horizontal(classes="tde-row"):
            yield Static("Password", classes="tde-label")
            yield Input(password=True, placeholder="(masked)", id="tde-password")
        if self.app.context.is_sandbox:
            yield Static(
                "Sandbox: type a password, then F5 exports the certificate from the "
                "simulated source and fills in the file.",
                classes="hint",
                markup=False,
            )

    def _compose_vm(self) -> ComposeResult:
        yield Static(
            f"2) Copy the .pfx to {self.target_name} and, there, in master, run:", markup=False
        )
        yield Static(tsql.restore_tde_certificate_tsql(self.database), classes="tsql", markup=False)
        yield Static(
            "3) Ctrl+O once it has run without error: the blocker on step 6 clears.",
            markup=False,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The sandbox's stand-in for the export on the source: only in the sandbox."""
        if action == "sandbox_export":
            return self.app.context.is_sandbox and not self.is_vm
        if action == "done":
            return not self.is_vm
        if action == "confirm":
            return self.is_vm
        return True

    def on_mount(self) -> None:
        steady_cursors(self)
        if self.is_vm:
            self.query_one("#tde-body").focus()
        else:
            self.query_one("#tde-file", Input).focus()

    # ---------------------------------------------------------------- actions

    @on(Input.Submitted, "#tde-file")
    def _next_field(self) -> None:
        self.query_one("#tde-password", Input).focus()

    def action_confirm(self) -> None:
        self.action_done()

    @on(Input.Submitted, "#tde-password")
    def action_done(self) -> None:
        if self.is_vm:
            self.dismiss(True)
            return
        if self.uploading:
            self._say("Uploading… wait for Azure's answer.")
            return
        path = self.query_one("#tde-file", Input).value
        password = self.query_one("#tde-password", Input).value
        if not path.strip():
            self._say("Certificate file: type the path of the .pfx copied from the source.")
            return
        if not password:
            self._say(
                "Password: type the password the certificate was exported with (it is "
                "cleared after each attempt)."
            )
            return
        self.uploading = True
        self._say(f"Uploading the certificate to {self.target_name}…")
        azure, target_id = self.app.context.azure, self.target_id

        def upload() -> None:
            azure.upload_tde_certificate(target_id, read_pfx(path), password)

        self.run_blocking(upload, on_done=self._uploaded, on_error=self._failed, group="tde")

    def action_sandbox_export(self) -> None:
        """Sandbox: the simulated source exports the certificate under the password typed
        (as the DBA's BACKUP CERTIFICATE would) and the file's path is filled in."""
        password = self.query_one("#tde-password", Input).value
        if not password:
            self._say(
                "Sandbox export: type a password first; the simulated source protects the "
                "PFX with it (as ENCRYPTION BY PASSWORD does)."
            )
            return
        context, db = self.app.context, self.database

        def exported(path: str) -> None:
            self.query_one("#tde-file", Input).value = path
            self._say(f"Sandbox: the simulated source exported the certificate to {path}.")

        self.run_blocking(
            context.sandbox_export_tde,
            db,
            password,
            on_done=exported,
            on_error=lambda error: self._say(error.full_text),
            group="tde-export",
        )

    def _uploaded(self, _result: object) -> None:
        self.uploading = False
        self.dismiss(True)

    def _failed(self, error: DmsTuiError) -> None:
        """Said as it is; the password is cleared, so a second upload of the same file
        (after a refusal, or an outcome Azure could not confirm) is typed deliberately."""
        self.uploading = False
        self.query_one("#tde-password", Input).value = ""
        self._say(error.full_text)

    def action_back_out(self) -> None:
        if self.uploading:
            self._say("Uploading… wait for Azure's answer: it was sent and may have arrived.")
            return
        self.dismiss(False)

    def _say(self, text: str) -> None:
        """Say ``text`` below the fields, scrolled into view (never cut off)."""
        self.query_one("#tde-result", Static).update(text)
        self.call_after_refresh(self.query_one("#tde-body").scroll_end, animate=False)
