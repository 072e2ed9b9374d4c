"""The SMS transports against real servers on local ports: no Odoo, no
database. Each test module skips itself (``pytest.importorskip``) where the
protocol library is not installed (``tests/run --core`` on a bare python3).

The transports live in ``field_service_sla/gateways`` and import the core
relatively (``..sla_core``), as Odoo loads them: the addon's directory is put
on sys.path as tests/core does, and stands as a package named
``field_service_sla`` without its ``__init__`` (which loads the Odoo models).
"""

import sys
import types
from pathlib import Path

import pytest

ADDON = Path(__file__).resolve().parents[2] / "field_service_sla"
SMSC = Path(__file__).resolve().parents[1] / "smsc" / "smsc.py"

sys.path.insert(0, str(ADDON))
sys.path.insert(0, str(SMSC.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
if "field_service_sla" not in sys.modules:
    _package = types.ModuleType("field_service_sla")
    _package.__path__ = [str(ADDON)]
    sys.modules["field_service_sla"] = _package

from smpp_helpers import Smsc


@pytest.fixture(scope="session", autouse=True)
def load_registry():
    """pytest-odoo, when loaded, opens a database through this fixture: this
    tier has none to open (see tests/core/conftest.py)."""
    yield


@pytest.fixture
def smsc_factory(tmp_path):
    started = []

    def start(**options):
        smsc = Smsc(tmp_path, **options).start()
        started.append(smsc)
        return smsc

    yield start
    for smsc in started:
        smsc.stop()


@pytest.fixture
def smsc(smsc_factory):
    return smsc_factory()


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 and its key (PEM files)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "smsc.test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    directory = tmp_path_factory.mktemp("tls")
    cert_file, key_file = directory / "smsc.crt", directory / "smsc.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_file), str(key_file)
