"""gunicorn.conf.py: sized from the machine, everything overridable from the environment."""

import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "gunicorn.conf.py"
ENVIRONMENT = ("GUNICORN_", "PORT")


def conf(monkeypatch, **env) -> dict:
    for name in list(os.environ):
        if name.startswith(ENVIRONMENT):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_behind_a_proxy_by_default(monkeypatch):
    assert conf(monkeypatch)["bind"] == ["127.0.0.1:8000"]


def test_port_and_bind_from_the_environment(monkeypatch):
    assert conf(monkeypatch, PORT="5000")["bind"] == ["0.0.0.0:5000"]
    chosen = conf(monkeypatch, PORT="5000", GUNICORN_BIND="unix:/run/archive.sock")
    assert chosen["bind"] == ["unix:/run/archive.sock"]


def test_sized_for_the_cores(monkeypatch):
    settings = conf(monkeypatch)
    cores = len(os.sched_getaffinity(0))
    assert settings["workers"] == cores + 1
    assert (settings["worker_class"], settings["threads"]) == ("sync", 1)
    assert settings["keepalive"] >= 2
    assert 0 < settings["timeout"] <= 60
    assert settings["max_requests"] > 0 < settings["max_requests_jitter"]
    assert settings["accesslog"] == "-"


def test_sizing_from_the_environment(monkeypatch):
    settings = conf(monkeypatch, GUNICORN_WORKERS="9", GUNICORN_THREADS="4", GUNICORN_TIMEOUT="10")
    assert (settings["workers"], settings["threads"], settings["timeout"]) == (9, 4, 10)


def test_gunicorn_accepts_it():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", *ENVIRONMENT))}
    result = subprocess.run(
        [str(Path(sys.executable).with_name("gunicorn")), "archive.wsgi", "--check-config"],
        cwd=ROOT,
        env={**clean, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
