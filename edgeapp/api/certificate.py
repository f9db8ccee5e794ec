"""`edgeapp serve --https`: a self-signed certificate made on first use, no files from the user.

The key (EC P-256) and the certificate are kept in the companion's folder beside the paired
devices (`<config>/companion/`, the key readable by its owner only). The same key is used for
good: the certificate is issued again, with the same key, when it nears its end (397 days, the
longest Apple's platforms accept) or when this machine's network address is not among its names.

No browser trusts a self-signed certificate, so the phone shows a warning the first time. What
the user can check is the certificate's SHA-256 fingerprint: the pairing URL carries it (the
phone page shows it) and `edgeapp serve` prints it; when the fingerprint in the browser's
certificate details is the same, the phone talks to this computer and not to someone in between.

Made with `cryptography` (maintained by the PyCA, the library Python's TLS tools build on).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import ipaddress
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from .. import paths

LIFETIME = dt.timedelta(days=397)
RENEW_BEFORE = dt.timedelta(days=30)


@dataclass(frozen=True)
class Certificate:
    cert_file: Path
    key_file: Path
    fingerprint: str  # SHA-256 of the certificate (what browsers show), upper-case hex
    spki_sha256: str  # base64 SHA-256 of the public key (Chromium's --ignore-certificate-errors-spki-list)

    @property
    def fingerprint_text(self) -> str:
        """The fingerprint in pairs, as certificate viewers show it: `AB:CD:...`."""
        return ":".join(self.fingerprint[i : i + 2] for i in range(0, len(self.fingerprint), 2))


def companion_dir() -> Path:
    folder = paths.config_dir() / "companion"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _key(path: Path) -> ec.EllipticCurvePrivateKey:
    if path.is_file():
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if isinstance(loaded, ec.EllipticCurvePrivateKey):
            return loaded
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    return key


def _names(hosts: list[str]) -> list[x509.GeneralName]:
    names: list[x509.GeneralName] = []
    for host in dict.fromkeys(["localhost", "127.0.0.1", "::1", socket.gethostname(), *hosts]):
        if not host or host in ("0.0.0.0", "::"):
            continue
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    return names


def _issue(key: ec.EllipticCurvePrivateKey, hosts: list[str]) -> x509.Certificate:
    now = dt.datetime.now(dt.timezone.utc)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"edgeapp on {socket.gethostname()}"[:64])])
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + LIFETIME)
        .add_extension(x509.SubjectAlternativeName(_names(hosts)), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )


def _usable(cert: x509.Certificate, key: ec.EllipticCurvePrivateKey, hosts: list[str]) -> bool:
    """The kept certificate still fits: same key, not near its end, names every host asked for."""
    if cert.public_key().public_numbers() != key.public_key().public_numbers():
        return False
    if cert.not_valid_after_utc - dt.datetime.now(dt.timezone.utc) < RENEW_BEFORE:
        return False
    have = {str(n.value) for n in cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value}
    return all(str(n.value) in have for n in _names(hosts))


def ensure(hosts: list[str] | None = None) -> Certificate:
    """The companion's certificate for `hosts` (besides localhost and this machine's name), made
    or issued again when needed."""
    hosts = hosts or []
    folder = companion_dir()
    cert_file, key_file = folder / "tls-cert.pem", folder / "tls-key.pem"
    key = _key(key_file)
    cert = None
    if cert_file.is_file():
        try:
            cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
        except ValueError:
            cert = None
    if cert is None or not _usable(cert, key, hosts):
        cert = _issue(key, hosts)
        cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    spki = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return Certificate(
        cert_file=cert_file,
        key_file=key_file,
        fingerprint=cert.fingerprint(hashes.SHA256()).hex().upper(),
        spki_sha256=base64.b64encode(hashlib.sha256(spki).digest()).decode("ascii"),
    )
