"""``.ci/install``: the system packages it asks apt for, with stand-ins for python3, sudo
and apt-get on the path (nothing is installed, no virtual environment is made)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
INSTALL = ROOT / ".ci" / "install"

#: python3 whose venv works or not; it fails 'python3 -m venv' with 3, which stops the
#: script (set -e) before it makes .venv
PYTHON3 = """#!/bin/sh
case "$*" in
  *ensurepip*) exit {venv} ;;
esac
exit 3
"""
RECORD = '#!/bin/sh\necho "$@" >> "{log}"\n'
SUDO = '#!/bin/sh\nexec "$@"\n'


def _apt_packages(tmp_path: Path, *, venv_works: bool) -> list[str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "apt.log"
    stubs = {
        "python3": PYTHON3.format(venv=0 if venv_works else 1),
        "apt-get": RECORD.format(log=log),
        "sudo": SUDO,
    }
    for name, text in stubs.items():
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    # the system's tools (sh, id, dirname...) after the stand-ins
    path = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}"
    done = subprocess.run(
        ["bash", str(INSTALL)],
        env={**os.environ, "PATH": path},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 3, done.stderr  # stopped at 'python3 -m venv .venv'
    lines = log.read_text().splitlines() if log.exists() else []
    return [word for line in lines if line.startswith("install") for word in line.split()]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_install_asks_apt_for_python3_venv_when_venv_is_missing(tmp_path):
    assert "python3-venv" in _apt_packages(tmp_path, venv_works=False)


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_install_leaves_python3_venv_alone_when_venv_works(tmp_path):
    assert "python3-venv" not in _apt_packages(tmp_path, venv_works=True)
