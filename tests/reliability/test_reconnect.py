"""A persistent database connection that PostgreSQL dropped (a restart, a failover) is replaced
before the next request uses it: that request answers 200, not 503.

The server side of the connection is ended with ``pg_terminate_backend``, as a restart ends it;
the connection is kept between requests (``CONN_MAX_AGE``) as in production. Django's test
client does not send the request-start signal to the connections, so the test does what the
request handler does.
"""

import pytest
from django.db import close_old_connections, connection, connections
from django.urls import reverse

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL's persistent connections; SQLite has no server to restart",
)


@pytest.fixture
def persistent_connection():
    settings_dict = connection.settings_dict
    kept = settings_dict["CONN_MAX_AGE"]
    settings_dict["CONN_MAX_AGE"] = 60
    # The next connection opened is kept for that long.
    connection.close()
    yield
    settings_dict["CONN_MAX_AGE"] = kept
    connection.close()


def test_the_first_request_after_the_server_dropped_the_connection_answers_200(
    transactional_db, client, officer_a, plan_a, persistent_connection
):
    client.force_login(officer_a)
    url = reverse("plans:home")
    assert client.get(url).status_code == 200
    pid = connection.connection.info.backend_pid
    other = connections.create_connection("default")
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    other.close()

    # What Django's request handler does as a request starts; its test client skips it.
    close_old_connections()
    assert client.get(url).status_code == 200
    assert connection.connection.info.backend_pid != pid
