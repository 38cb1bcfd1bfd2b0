"""The project installs as a package: a wheel built from pyproject.toml, installed (not
editable) into a fresh virtual environment, passes `manage.py check` away from the checkout,
so every app the settings name is in the package list, and carries its templates, static
files, compiled translations and the API's description."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*command: str | Path, cwd: Path, env: dict | None = None) -> str:
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


# What a checkout holds that is not the package's source (setuptools builds in the tree).
LEFT_OUT = (".git", ".venv", "build", "var", "media", "staticfiles", "*.egg-info", "*.sqlite3*")

CHECK_FILES = """
import django
django.setup()
from django.contrib.staticfiles import finders
from django.template.loader import get_template
from reuse.openapi import DESCRIPTION
get_template("base.html")
get_template("curation/merge.html")
assert finders.find("js/suggest.js"), "static files missing"
assert DESCRIPTION.is_file(), "openapi.json missing"
from django.utils import translation
translation.activate("ru")
assert translation.gettext("Documents") == "Документы", "the translations are missing"
print("files ok")
"""


def test_a_built_wheel_installs_and_passes_check(tmp_path):
    source, wheels = tmp_path / "source", tmp_path / "wheels"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*LEFT_OUT))
    _run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, source, cwd=tmp_path
    )
    (wheel,) = wheels.glob("cold_war_archive-*.whl")
    environment = tmp_path / "env"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    _run(python, "-m", "pip", "install", "-q", wheel, cwd=tmp_path)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTHON"))}
    clean |= {
        "DJANGO_SETTINGS_MODULE": "archive.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}",
        "ARCHIVE_INDEX_DIR": str(tmp_path / "index"),
    }
    located = _run(python, "-c", "import documents; print(documents.__file__)", cwd=elsewhere)
    assert str(environment) in located  # the installed copy, not the checkout
    output = _run(python, "-m", "django", "check", cwd=elsewhere, env=clean)
    assert "System check identified no issues" in output
    assert "files ok" in _run(python, "-c", CHECK_FILES, cwd=elsewhere, env=clean)
