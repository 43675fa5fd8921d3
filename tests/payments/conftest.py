"""The payment gateway simulator, served for real on a free port in a thread of the test."""

import threading
from collections.abc import Callable, Iterator

import pytest

from natsim.payments import Faults, GatewayServer, make_server

SECRET = "bi-mat-chung-cua-cong-thanh-toan"


@pytest.fixture
def gateway_for(tmp_path, settings) -> Iterator[Callable[..., GatewayServer]]:
    """Start a simulator with the given faults; haicap's settings point at it."""
    started: list[GatewayServer] = []

    def start(faults: Faults | None = None, **kw: object) -> GatewayServer:
        server = make_server(
            tmp_path / f"gateway-{len(started)}.sqlite3",
            faults or Faults(),
            secret=SECRET,
            seed=1,
            **kw,
        )
        threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        started.append(server)
        host, port = server.server_address[:2]
        settings.HAICAP_PAYMENT_GATEWAY_URL = f"http://{host}:{port}"
        settings.HAICAP_PAYMENT_GATEWAY_SECRET = SECRET
        settings.HAICAP_PAYMENT_GATEWAY_TIMEOUT = 5
        return server

    yield start
    for server in started:
        server.shutdown()
        server.server_close()
