"""What the running app works with: the Controller, the source factory, where files go.

Built once by the CLI (sandbox or real Azure) and handed to the App; screens reach it as
``self.app.context``. Nothing here imports Textual, nor the Controller or the sandbox before
they are needed: with ``--sandbox`` the CLI gives a ``sandbox_factory`` and the app builds the
sandbox once its first screen is drawn.

What the core needs from outside is typed by what it does, not by where it comes from: a
``SourceFactory`` opens a source SQL Server (pyodbc, the sandbox's simulated server, or a
test's fake), and a ``TokenCredential`` signs the Controller's requests.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from tui.errors import DmsTuiError

if TYPE_CHECKING:  # the Controller (and through it the SDK) is imported when first needed
    from azure.core.credentials import TokenCredential

    from tui.controller import Controller
    from tui.cutover import TailLog
    from tui.row_validation import SourceCounts
    from tui.sandbox import Sandbox
    from tui.signin import DeviceCodePrompt, SignInMethod
    from tui.source.base import Source


@dataclass
class SourceParams:
    """How the jump box reaches a SQL Server. ``password`` lives in memory only."""

    server: str
    port: int = 1433
    authentication: str = "sql"  # sql, windows, entra
    user: str = ""
    password: str = field(default="", repr=False)
    encrypt: bool = True
    trust_server_certificate: bool = False


class SourceFactory(Protocol):
    """Opens a connection to the source SQL Server ``params`` names (blocking)."""

    def __call__(self, params: SourceParams, /) -> Source: ...


class CredentialFactory(Protocol):
    """Makes a credential for a sign-in method, in a given tenant (blocking)."""

    def __call__(
        self,
        method: SignInMethod,
        *,
        tenant_id: str | None = None,
        on_device_code: Callable[[DeviceCodePrompt], object] | None = None,
    ) -> TokenCredential: ...


class NotSignedIn(DmsTuiError):
    """Something asked for Azure before anyone signed in."""


@dataclass
class AppContext:
    controller: Controller | None = None  # None until signed in
    sandbox: Sandbox | None = None  # when running with --sandbox
    sandbox_notice: str = ""  # what became of the sandbox's saved world at start, for the DBA
    credential: TokenCredential | None = None
    open_source_fn: SourceFactory | None = None
    credential_label: str = ""
    sign_in_method: str = ""  # a tui.signin.SignInMethod value
    tenant_id: str = ""  # the tenant the credential signs in to ("" = not known)
    # how a credential for another tenant is made: ``tui.signin.make_credential`` unless set
    credential_factory: CredentialFactory | None = None
    # how a Controller is made for a credential and a subscription (``Controller`` unless set)
    controller_factory: Callable[[TokenCredential, str], Controller] | None = None
    # This session only, never saved: the source's row counts taken just before the
    # tail-log backup (migration id, lower case), and the SQL logins typed for the targets
    # (target id, lower case).
    source_counts: dict[str, SourceCounts] = field(default_factory=dict, repr=False)
    target_logins: dict[str, SourceParams] = field(default_factory=dict, repr=False)
    # Also this session only: the tail-log backup each cutover waits for (migration id,
    # lower case), and the file name planned for it before it is taken (the T-SQL shown
    # for running by hand names the same file).
    tail_logs: dict[str, TailLog] = field(default_factory=dict, repr=False)
    tail_log_plans: dict[str, str] = field(default_factory=dict, repr=False)
    # --sandbox: how the sandbox is made, with its notice (``tui.sandbox.saved.open_world``).
    # It is made after the first screen is drawn (by ``prepare``, which the app runs in a
    # worker), so start-up loads nothing of Azure.
    sandbox_factory: Callable[[], tuple[Sandbox, str]] | None = field(default=None, repr=False)
    _prepare_lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )
    _state_lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )
    _subscription: str = field(default="", init=False, repr=False, compare=False)

    @property
    def is_sandbox(self) -> bool:
        return self.sandbox is not None or self.sandbox_factory is not None

    @property
    def pending(self) -> bool:
        """The sandbox (and its Controller) is still to be built."""
        return self.sandbox is None and self.sandbox_factory is not None

    def prepare(self) -> None:
        """Build the sandbox and its Controller if they are still to be built (blocking:
        the app calls it from a worker just after the first screen is drawn). Whatever
        needs them first waits here for them, so calling it again is harmless."""
        if not self.pending:
            return
        with self._prepare_lock:
            if self.sandbox is None and self.sandbox_factory is not None:
                self._use_sandbox(*self.sandbox_factory())

    def _use_sandbox(self, sandbox: Sandbox, notice: str = "") -> None:
        from tui.controller import Controller

        controller = Controller(
            sandbox.credential,
            sandbox.subscription_id,
            transport=sandbox.transport,
            polling_interval=0.2,
        )
        with self._state_lock:  # a subscription chosen meanwhile is taken up, never lost
            if self._subscription and self._subscription != controller.subscription_id:
                controller = controller.for_subscription(self._subscription)
            self.controller = controller
            self.credential = sandbox.credential
            self.sandbox_notice = notice or self.sandbox_notice
            self.sandbox = sandbox  # last: from here on nothing is pending

    def keep_sandbox(self) -> None:
        """Write the sandbox's world where it is kept between runs (at exit; a no-op outside
        the sandbox or when the world is kept nowhere)."""
        if self.sandbox is not None:
            self.sandbox.save()

    def sandbox_export_tde(self, database: str, password: str) -> str:
        """Sandbox only: what the DBA's BACKUP CERTIFICATE ... WITH FORMAT = 'PFX' on the
        source and the copy to this machine would leave here — the simulated source's
        certificate of ``database``, protected by ``password`` (not kept), in a 0600 file
        under the app's home. Returns its path."""
        if self.sandbox is None:
            raise DmsTuiError("Only the sandbox exports certificates itself.", code="NotSandbox")
        from tui.private_files import private_dir, write_atomically
        from tui.projects import home
        from tui.source.tsql import tde_pfx_file

        path = private_dir(home() / "sandbox-exports") / tde_pfx_file(database)
        write_atomically(path, self.sandbox.export_tde_certificate(database, password))
        return str(path)

    @property
    def azure(self) -> Controller:
        """The Controller, for code that runs only after sign-in (every screen past the
        sign-in screen); ``controller`` is None before it. In the sandbox, the first use
        waits for the sandbox if the app has not finished building it yet."""
        self.prepare()
        if self.controller is None:
            raise NotSignedIn(
                "Not signed in to Azure yet.",
                code="NotSignedIn",
                hint="Sign in first, then try again.",
            )
        return self.controller

    def open_source(self, params: SourceParams) -> Source:
        """A source SQL Server for ``params`` (blocking: call from a worker)."""
        self.prepare()
        if self.open_source_fn is not None:
            return self.open_source_fn(params)
        if self.sandbox is not None:
            return self.sandbox.connect(params.server, params.port)
        from tui.source import SqlServerSource

        credential = self.credential if params.authentication == "entra" else None
        kwargs: dict[str, Any] = {}
        if credential is not None:
            kwargs["credential"] = credential
        return SqlServerSource(
            params.server,
            params.port,
            authentication=params.authentication,
            user=params.user or None,
            password=params.password or None,
            encrypt=params.encrypt,
            trust_server_certificate=params.trust_server_certificate,
            **kwargs,
        )

    def make_controller(self, credential: TokenCredential, subscription_id: str) -> Controller:
        if self.controller_factory is not None:
            return self.controller_factory(credential, subscription_id)
        from tui.controller import Controller

        return Controller(credential, subscription_id)

    def needs_credential_for(self, tenant_id: str) -> bool:
        """In real Azure, a tenant other than the credential's needs its own credential."""
        return (
            not self.is_sandbox
            and bool(tenant_id)
            and tenant_id.lower() != (self.tenant_id or "").lower()
        )

    def credential_for_tenant(
        self,
        tenant_id: str,
        *,
        on_device_code: Callable[[DeviceCodePrompt], object] | None = None,
    ) -> tuple[TokenCredential, Controller, str]:
        """A credential signed in to ``tenant_id`` (same sign-in method), a Controller on it,
        and the tenant ID its token is for (a domain typed by the DBA becomes the GUID).
        Blocking (gets a token): call from a worker; nothing here changes the context."""
        from tui.signin import SignInMethod, check_credential, make_credential

        factory = self.credential_factory or make_credential
        method = SignInMethod(self.sign_in_method or SignInMethod.AZURE_CLI.value)
        credential = factory(method, tenant_id=tenant_id, on_device_code=on_device_code)
        tid = check_credential(credential) or tenant_id
        return credential, self.make_controller(credential, ""), tid

    def use_tenant(
        self, tenant_id: str, credential: TokenCredential, controller: Controller
    ) -> None:
        self.tenant_id = tenant_id
        self.credential = credential
        self.controller = controller

    def use_subscription(self, subscription_id: str) -> None:
        with self._state_lock:
            if self.pending:  # taken up when the sandbox is ready; nothing waits for it here
                self._subscription = subscription_id
                return
        if self.controller is not None and self.controller.subscription_id != subscription_id:
            self.controller = self.controller.for_subscription(subscription_id)

    @classmethod
    def for_sandbox(cls, sandbox: Sandbox) -> AppContext:
        context = cls()
        context._use_sandbox(sandbox)
        return context
