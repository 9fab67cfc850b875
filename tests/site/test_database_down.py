"""The production stack with its database really gone: gunicorn in front of a closed port.

No mock: the application is started as ``make serve`` starts it, with a ``DATABASE_URL`` that
points at a loopback port where nothing listens, and is asked for pages over HTTP.
"""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    if not GUNICORN.exists():
        pytest.skip("gunicorn is not installed beside this Python")
    port, dead_port = free_port(), free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(ROOT),
        "DEBUG": "off",
        "SECRET_KEY": "test-only-" + "x" * 50,
        "ALLOWED_HOSTS": "egov.example.gov.vn",
        "DATABASE_URL": f"postgres://nobody@127.0.0.1:{dead_port}/gone",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }
    process = subprocess.Popen(
        [str(GUNICORN), "egov_targets.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{port}",
         "--no-control-socket"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
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
    process.wait(timeout=10)


def get(port, path, host="egov.example.gov.vn"):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    # A signed-in visitor: reading the session is the first thing that needs the database.
    headers = {"Host": host, "X-Forwarded-Proto": "https", "Cookie": "sessionid=" + "a" * 32}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    return response.status, response.read().decode("utf-8")


def test_healthz_says_503_when_the_database_does_not_answer(server):
    status, body = get(server, "/healthz")
    assert status == 503
    assert '"database"' in body


@pytest.mark.parametrize("path", ["/", "/dashboard/", "/entry/91/2017/", "/admin/"])
def test_every_page_answers_a_short_vietnamese_503_never_a_traceback(server, path):
    status, body = get(server, path)
    assert status == 503
    assert "Không kết nối được cơ sở dữ liệu" in body
    assert "Traceback" not in body
    assert "psycopg2" not in body
    assert "OperationalError" not in body


def test_signing_in_answers_503_too(server):
    headers = {"Host": "egov.example.gov.vn", "X-Forwarded-Proto": "https"}
    connection = http.client.HTTPConnection("127.0.0.1", server, timeout=30)
    # The login form itself needs no database...
    connection.request("GET", "/accounts/login/", headers=headers)
    response = connection.getresponse()
    form = response.read().decode("utf-8")
    assert response.status == 200
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    # ... checking the password does.
    connection.request(
        "POST", "/accounts/login/", body=f"csrfmiddlewaretoken={token}&username=a&password=b",
        headers={**headers, "Cookie": cookie, "Referer": "https://egov.example.gov.vn/",
                 "Content-Type": "application/x-www-form-urlencoded"},
    )
    response = connection.getresponse()
    body = response.read().decode("utf-8")
    assert response.status == 503
    assert "Không kết nối được cơ sở dữ liệu" in body


def test_an_unknown_host_gets_the_vietnamese_400_page(server):
    status, body = get(server, "/", host="evil.example.com")
    assert status == 400
    assert "Yêu cầu không hợp lệ" in body
    assert "evil.example.com" not in body
