"""`samaki serve` in production mode: gunicorn answers, WhiteNoise serves the CSS, and the
deployment checks leave only the warnings docs/deploy.md explains."""

import gzip
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from samaki.ops.tests.conftest import database_url_for_subprocess, subprocess_env

# Explained in docs/deploy.md, "What `samaki check --deploy` still says".
EXPLAINED_DEPLOY_WARNINGS = {"security.W021"}


def production_env(folder: Path) -> dict[str, str]:
    """SAMAKI_DEBUG=false with every value production must set, behind a TLS proxy on 127.0.0.1."""
    return subprocess_env(
        SAMAKI_DEBUG="false",
        SAMAKI_SECRET_KEY=secrets.token_urlsafe(50),
        SAMAKI_ALLOWED_HOSTS="127.0.0.1",
        SAMAKI_FIELD_KEYS=Fernet.generate_key().decode(),
        SAMAKI_BEHIND_TLS_PROXY="true",
        SAMAKI_TRUSTED_PROXIES="127.0.0.1",
        SAMAKI_TASKS_BACKEND="database",
        SAMAKI_ALLOW_SQLITE="true",  # ignored on PostgreSQL
        SAMAKI_VAR_DIR=str(folder / "var"),
        DATABASE_URL=database_url_for_subprocess(folder),
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """A request as nginx passes it on: over HTTPS at the proxy (X-Forwarded-Proto)."""
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        client.request("GET", path, headers={"X-Forwarded-Proto": "https", **headers})
        response = client.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        client.close()


def wait_until_listening(port: int, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 240  # collectstatic compresses every file first
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"samaki serve exited with {server.returncode}:\n{log.read_text()}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.5)
    pytest.fail(f"samaki serve did not listen within 240 s:\n{log.read_text()}")


def children_of(pid: int) -> list[str]:
    """What `samaki serve --with-worker` started: the module each child runs (Linux's /proc)."""
    names = []
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        argv = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        names.append("gunicorn" if b"gunicorn" in argv else argv[3].decode())
    return names


def test_serve_answers_the_sign_in_page_with_its_css_from_whitenoise(transactional_db, tmp_path):
    env = production_env(tmp_path)
    port = free_port()
    log = tmp_path / "serve.log"
    argv = [sys.executable, "-m", "samaki", "serve", "--bind", f"127.0.0.1:{port}"]
    with log.open("w") as output:
        server = subprocess.Popen(  # noqa: S603
            [*argv, "--workers", "1", "--with-worker"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_listening(port, server, log)

        assert sorted(children_of(server.pid)) == ["db_worker", "gunicorn"]

        status, headers, body = get(port, "/accounts/login/")
        assert status == 200, log.read_text()
        assert headers["server"] == "gunicorn"
        assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
        css = re.search(rb'href="(/static/samaki/base\.[0-9a-f]{12}\.css)"', body)
        assert css, body.decode()

        status, headers, body = get(port, css.group(1).decode(), **{"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers["content-type"].startswith("text/css")
        assert headers["cache-control"] == "max-age=315360000, public, immutable"
        assert headers["content-encoding"] == "gzip"
        collected = tmp_path / "var" / "static" / css.group(1).decode().removeprefix("/static/")
        assert gzip.decompress(body) == collected.read_bytes()

        status, headers, _ = get(port, "/static/samaki/base.css")  # unhashed names are gone
        assert status == 404

        plain = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        plain.request("GET", "/accounts/login/")  # plain HTTP at the proxy: sent to HTTPS
        response = plain.getresponse()
        assert response.status == 301
        assert response.getheader("Location") == f"https://127.0.0.1:{port}/accounts/login/"
        plain.close()
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)  # gunicorn and db_worker both stop
        try:
            code = server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
            raise
    assert code == 0, log.read_text()
    assert "Booting worker" in log.read_text()  # gunicorn's


def test_check_deploy_leaves_only_the_explained_warnings(transactional_db, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "samaki", "check", "--deploy"],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    issued = set(re.findall(r"\(([a-z_]+\.[EW]\d+)\)", done.stdout + done.stderr))
    assert issued == EXPLAINED_DEPLOY_WARNINGS, done.stdout + done.stderr


def test_serve_refuses_a_development_secret_key(transactional_db, tmp_path):
    env = production_env(tmp_path)
    del env["SAMAKI_SECRET_KEY"]
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "samaki", "serve", "--bind", f"127.0.0.1:{free_port()}"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode != 0
    assert "samaki.E001" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "var" / "static").exists()  # stopped before collectstatic
