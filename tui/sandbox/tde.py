"""TDE certificates: the source's, and the managed-instance upload that moves one to a target.

A database encrypted with TDE can be restored only where the certificate that protects its
encryption key is present. The simulated source holds one real X.509 certificate (with its
key) per encrypted database, made on first use and the same in every run (so a world kept
between runs keeps its thumbprints); exporting it gives a real PFX protected by a password.
``POST .../managedInstances/{mi}/tdeCertificates`` (Microsoft.Sql, as
``azure-mgmt-sql``'s ``managed_instance_tde_certificates.begin_create`` sends it) opens the
PFX with the password it carries, refuses an empty blob or a wrong password as Azure does
(400), and otherwise answers 202 with an operation to poll; the instance then holds the
certificate's thumbprint, and a restore of that database there no longer fails with
"Cannot find server certificate with thumbprint". Only the thumbprint is kept: never the
PFX or the password, in memory and in the world kept between runs (the journal records
the upload as the instance and the thumbprint).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .arm import Answer, ArmError
from .router import Req, Router

if TYPE_CHECKING:
    from .sandbox import Sandbox
    from .sqlserver import SimulatedSqlServer

SQL_NS = "Microsoft.Sql"


@dataclass
class SimCertificate:
    """A certificate in a simulated server's master database."""

    name: str
    thumbprint: str  # SHA-1 of the DER encoding, upper-case hex (as sys.certificates shows)
    der: bytes = field(repr=False)
    key_pem: bytes = field(default=b"", repr=False)  # the private key; the source's only


def make_certificate(name: str, seed: str) -> SimCertificate:
    """A self-signed certificate and its key, the same for the same ``seed`` (Ed25519 signs
    deterministically), so a world rebuilt from its seed holds the same thumbprints."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519
    from cryptography.x509.oid import NameOID

    digest = hashlib.sha256(f"tde-certificate:{seed}".encode()).digest()
    key = ed25519.Ed25519PrivateKey.from_private_bytes(digest)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(int.from_bytes(digest[:16], "big") >> 1 or 1)
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=3650))
        .sign(key, None)
    )
    der = cert.public_bytes(serialization.Encoding.DER)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return SimCertificate(name, hashlib.sha1(der).hexdigest().upper(), der, pem)


def database_certificate(server: SimulatedSqlServer, database: str) -> SimCertificate:
    """The certificate protecting ``database``'s encryption key on ``server`` (made once)."""
    key = database.lower()
    thumb = server.encryptors.get(key)
    if thumb is None:
        cert = make_certificate(f"TDE_{database}", f"{server.address.lower()}/{key}")
        server.certificates[cert.thumbprint] = cert
        server.encryptors[key] = thumb = cert.thumbprint
    return server.certificates[thumb]


def export_pfx(cert: SimCertificate, password: str) -> bytes:
    """``BACKUP CERTIFICATE ... WITH FORMAT = 'PFX', PRIVATE KEY (ENCRYPTION BY PASSWORD)``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519
    from cryptography.hazmat.primitives.serialization import pkcs12

    key = serialization.load_pem_private_key(cert.key_pem, password=None)
    if not isinstance(key, ed25519.Ed25519PrivateKey):
        raise ValueError(f"{cert.name} has no private key here")
    return pkcs12.serialize_key_and_certificates(
        cert.name.encode(),
        key,
        x509.load_der_x509_certificate(cert.der),
        None,
        serialization.BestAvailableEncryption(password.encode()),
    )


def pfx_thumbprint(blob: bytes, password: str) -> str:
    """The thumbprint of the certificate in a PFX, or ``ValueError`` (damaged, wrong password,
    or no private key)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    key, cert, _ = pkcs12.load_key_and_certificates(blob, password.encode() or None)
    if cert is None or key is None:
        raise ValueError("the PFX holds no certificate with its private key")
    der = cert.public_bytes(serialization.Encoding.DER)
    return hashlib.sha1(der).hexdigest().upper()


def _invalid(message: str) -> ArmError:
    return ArmError(400, "InvalidTdeCertificate", message)


class TdeRoutes:
    """The managed instance's TDE certificate upload."""

    def __init__(self, sb: Sandbox):
        self.sb = sb

    def register(self, r: Router) -> None:
        r.add(
            "POST",
            "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Sql"
            "/managedInstances/{name}/tdeCertificates",
            self.upload,
        )
        r.add(
            "GET",
            "/subscriptions/{sub}/providers/Microsoft.Sql/locations/{loc}"
            "/tdeCertAzureAsyncOperation/{op}",
            self.status,
        )

    def upload(self, req: Req) -> Answer:
        from tui.models import TargetKind

        target = self.sb.resources.find_target(req, TargetKind.SQL_MI)
        props = (req.body or {}).get("properties") or {}
        blob_text, password = props.get("privateBlob"), props.get("certPassword")
        if not isinstance(blob_text, str) or not blob_text.strip():
            raise _invalid("The certificate's private blob (privateBlob) is required.")
        try:
            blob = base64.b64decode(blob_text, validate=True)
        except (binascii.Error, ValueError):
            raise _invalid("The private blob is not valid base64.") from None
        if not blob:
            raise _invalid("The certificate's private blob (privateBlob) is empty.")
        try:
            thumb = pfx_thumbprint(blob, password if isinstance(password, str) else "")
        except ValueError:
            raise _invalid(
                "The certificate could not be read from the private blob: it is not a PFX "
                "with a private key, or the password (certPassword) is not the one it was "
                "exported with."
            ) from None
        self.hold(target, thumb)
        # kept between runs as the thumbprint alone: never the PFX or its password
        self.sb.journal.record(
            "tde_certificate", self.sb.clock.now(), target=target.id, thumbprint=thumb
        )
        op, headers = self.sb.operations.start(
            target.subscription_id,
            target.location,
            lambda: ("Succeeded", None, None),
            namespace=SQL_NS,
            collection="tdeCertAzureAsyncOperation",
        )
        return Answer(202, None, headers)

    @staticmethod
    def hold(target, thumbprint: str) -> None:
        """``target`` holds the certificate with ``thumbprint`` (uploaded)."""
        target.engine.certificates[thumbprint] = SimCertificate(
            f"uploaded-{thumbprint[:8]}", thumbprint, b""
        )

    @staticmethod
    def is_upload(method: str, path: str) -> bool:
        return method == "POST" and path.lower().endswith("/tdecertificates")

    def status(self, req: Req) -> Answer:
        return self.sb.operations.answer(req.params["sub"], req.params["loc"], req.params["op"])


def redact(path: str, body: dict | list | None) -> dict | list | None:
    """What the sandbox's request log keeps of an upload: never the PFX or its password."""
    if "/tdecertificates" not in path.lower() or not isinstance(body, dict):
        return body
    props = body.get("properties")
    if not isinstance(props, dict):
        return body
    secret = ("privateBlob", "certPassword")
    hidden = {k: ("<hidden>" if k in secret else v) for k, v in props.items()}
    return {**body, "properties": hidden}
