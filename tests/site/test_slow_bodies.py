"""Slow clients against the production server, started with ``make serve``'s gunicorn options.

Many anonymous clients each start an upload and then send its body one byte at a time: each is
answered at once (refused as an anonymous post) with its body unread, and the site keeps
answering others meanwhile. Before, every such body was read to /tmp before login was checked,
and three of them held the three workers: a dashboard request timed out after 20 s.
"""

import os
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.site.test_database_down import free_port

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
SLOW_CLIENTS = 12
# At one byte a second, a megabyte would take eleven days.
TRICKLE_SECONDS = 30
HOST = "egov.example.gov.vn"


def serve_command(port: int) -> list[str]:
    """Return the gunicorn command ``make serve`` runs, with two workers on ``port``."""
    lines = subprocess.run(
        ["make", "-n", "serve", f"PORT={port}", "WORKERS=2"], cwd=ROOT, capture_output=True,
        text=True, timeout=60, check=True,
    ).stdout.replace("\\\n", " ").splitlines()
    line = next(line for line in lines if "gunicorn egov_targets.wsgi" in line)
    words = shlex.split(line.removeprefix("exec "))
    words[0] = str(GUNICORN)
    return words


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not GUNICORN.exists():
        pytest.skip("gunicorn is not installed beside this Python")
    folder = tmp_path_factory.mktemp("serve")
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(folder),
        "DEBUG": "off",
        "SECRET_KEY": "test-only-" + "x" * 50,
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "MEDIA_ROOT": str(folder / "media"),
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT,
                   env=env, check=True, timeout=300)
    process = subprocess.Popen(serve_command(port), cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(process.stderr.read().decode()) from None
            time.sleep(0.2)
    yield port
    process.terminate()
    process.wait(timeout=30)


def start_slow_upload(port: int) -> socket.socket:
    """Send an upload's headers and the first byte of its 1 MB body; return the socket."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(
        b"POST /entry/91/2017/agency/91-SNV/evidence/ HTTP/1.1\r\n"
        b"Host: " + HOST.encode() + b"\r\nX-Forwarded-Proto: https\r\n"
        b"Content-Type: multipart/form-data; boundary=xyz\r\n"
        b"Content-Length: 1000000\r\n\r\n-"
    )
    return sock


def get(port: int, path: str) -> tuple[int, float]:
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nX-Forwarded-Proto: https\r\n"
                     "Connection: close\r\n\r\n".encode())
        head = sock.recv(64)
    return int(head.split()[1]), time.monotonic() - started


def test_slow_anonymous_uploads_are_answered_unread_and_hold_no_worker(server):
    slow = [start_slow_upload(server) for _ in range(SLOW_CLIENTS)]
    try:
        # Every slow upload is answered at once, its body not waited for: as any anonymous
        # post without the form's token, with the page saying the form has expired.
        for sock in slow:
            response = sock.recv(4096)
            assert response.startswith(b"HTTP/1.1 403"), response[:200]
        # The clients go on sending a byte a second; the site answers others meanwhile, and
        # closes each slow connection long before its megabyte could have arrived.
        open_ = set(range(SLOW_CLIENTS))
        for _second in range(TRICKLE_SECONDS):
            for index in sorted(open_):
                try:
                    slow[index].sendall(b"-")
                    slow[index].setblocking(False)
                    while slow[index].recv(4096):
                        pass
                    open_.discard(index)  # the server closed it
                except BlockingIOError:
                    pass
                except OSError:
                    open_.discard(index)
                finally:
                    slow[index].setblocking(True)
            status, took = get(server, "/healthz")
            assert status == 200 and took < 2, (status, took)
            if not open_:
                break
            time.sleep(1)
        assert not open_, f"{len(open_)} slow uploads still open after {TRICKLE_SECONDS} s"
    finally:
        for sock in slow:
            sock.close()
