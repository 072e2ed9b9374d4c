"""The set-up behind the two commands refuses bad input in one clear line and
keeps nothing that a later run would trust.

Runs tests/setup-env and data/run-demo with fake system tools (dpkg-query, id)
in front of PATH, so no package is installed and no network is used: each case
stops before anything is downloaded.
"""

import os
import socket
import subprocess
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETUP = ROOT / "tests" / "setup-env"


def _fake_tools(tmp_path, installed=True, uid=0):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    status = "install ok installed" if installed else "unknown ok not-installed"
    (bin_dir / "dpkg-query").write_text(f"#!/bin/sh\nprintf '{status}'\n")
    (bin_dir / "id").write_text(f"#!/bin/sh\necho {uid}\n")
    for tool in bin_dir.iterdir():
        tool.chmod(0o755)
    return bin_dir


def _run(tmp_path, env=None, installed=True, uid=0, script=SETUP, args=()):
    bin_dir = _fake_tools(tmp_path, installed=installed, uid=uid)
    venv = tmp_path / "venv"
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"ODOO_SRC", "ODOO_URL", "ODOO_SHA256", "FS_PYTHON", "PYTHON"}
    }
    full_env.update(
        PATH=f"{bin_dir}:{os.environ['PATH']}",
        FS_VENV=str(venv),
        FS_VENDOR=str(tmp_path / "no-such-archive.tar.xz"),
    )
    full_env.update(env or {})
    proc = subprocess.run(
        ["bash", str(script), *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return proc, venv


def _odoo_tree(path, major=19, license_="LGPL-3"):
    (path / "odoo" / "addons" / "some_addon").mkdir(parents=True)
    (path / "odoo" / "release.py").write_text(
        f"version_info = ({major}, 0, 0, 'final', 0, '')\n"
    )
    (path / "odoo" / "addons" / "some_addon" / "__manifest__.py").write_text(
        f"{{'name': 'Some addon', 'license': '{license_}'}}\n"
    )
    return path


def _error_lines(proc):
    return [line for line in proc.stderr.splitlines() if line.startswith("setup:")]


def test_missing_packages_without_root_names_them_and_stops(tmp_path):
    proc, venv = _run(tmp_path, installed=False, uid=1000)
    assert proc.returncode == 1
    (line,) = [ln for ln in _error_lines(proc) if "missing Debian packages" in ln]
    for package in ("postgresql", "chromium", "wkhtmltopdf", "fonts-noto-cjk"):
        assert package in line
    assert "sudo apt-get install" in line
    assert not venv.exists()


def test_odoo_src_not_a_directory(tmp_path):
    proc, venv = _run(tmp_path, env={"ODOO_SRC": str(tmp_path / "nowhere")})
    assert proc.returncode == 1
    assert "is not a directory" in _error_lines(proc)[0]
    assert not venv.exists()


def test_odoo_src_without_odoo(tmp_path):
    (tmp_path / "src").mkdir()
    proc, _venv = _run(tmp_path, env={"ODOO_SRC": str(tmp_path / "src")})
    assert proc.returncode == 1
    assert "not an Odoo source tree" in _error_lines(proc)[0]


def test_odoo_src_of_another_version(tmp_path):
    src = _odoo_tree(tmp_path / "src", major=18)
    proc, _venv = _run(tmp_path, env={"ODOO_SRC": str(src)})
    assert proc.returncode == 1
    assert "is Odoo 18, not 19" in _error_lines(proc)[0]


def test_odoo_src_with_enterprise_addons_is_refused(tmp_path):
    src = _odoo_tree(tmp_path / "src")
    (src / "addons" / "helpdesk").mkdir(parents=True)
    (src / "addons" / "helpdesk" / "__manifest__.py").write_text(
        "{'name': 'Helpdesk', 'license': 'OEEL-1'}\n"
    )
    proc, venv = _run(tmp_path, env={"ODOO_SRC": str(src)})
    assert proc.returncode == 1
    (line,) = _error_lines(proc)
    assert "Enterprise (OEEL)" in line and "helpdesk" in line
    assert not venv.exists()


def test_archive_with_a_wrong_checksum_is_not_used(tmp_path):
    src = _odoo_tree(tmp_path / "odoo-19.0-ce")
    archive = tmp_path / "odoo-19.0-ce.tar.xz"
    with tarfile.open(archive, "w:xz") as tar:
        tar.add(src, arcname="odoo-19.0-ce")
    (tmp_path / "odoo-19.0-ce.tar.xz.sha256").write_text(
        "0" * 64 + "  odoo-19.0-ce.tar.xz\n"
    )
    proc, venv = _run(tmp_path, env={"FS_VENDOR": str(archive)})
    assert proc.returncode == 1
    assert any("does not match its checksum" in ln for ln in _error_lines(proc))
    # the half-made virtualenv is gone: the next run starts over
    assert not venv.exists()


def test_no_local_source_and_no_checksum_for_a_download(tmp_path):
    proc, venv = _run(tmp_path)
    assert proc.returncode == 1
    (line,) = _error_lines(proc)
    assert "no Odoo 19 source here" in line and "ODOO_SRC" in line
    assert not venv.exists()


def test_download_without_network_says_so(tmp_path):
    proc, venv = _run(
        tmp_path,
        env={"ODOO_URL": "http://127.0.0.1:9/odoo.tar.gz", "ODOO_SHA256": "0" * 64},
    )
    assert proc.returncode == 1
    assert any("cannot download" in ln for ln in _error_lines(proc))
    assert not venv.exists()


def test_demo_refuses_a_port_in_use(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        proc, venv = _run(
            tmp_path, env={"PORT": str(port)}, script=ROOT / "data" / "run-demo"
        )
    assert proc.returncode == 1
    assert f"port {port} is already in use" in proc.stdout
    assert not venv.exists()


@pytest.mark.parametrize("value", ["3.9", "nonsense"])
def test_fs_python_that_cannot_run_odoo(tmp_path, value):
    fake = tmp_path / "python-fake"
    fake.write_text(f"#!/bin/sh\necho {value}\n")
    fake.chmod(0o755)
    proc, _venv = _run(tmp_path, env={"FS_PYTHON": str(fake)})
    assert proc.returncode == 1
    assert "FS_PYTHON" in _error_lines(proc)[0]
