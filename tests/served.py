"""haicap served by gunicorn in its own process, as `make run` serves it, for tests of the whole."""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(
    env: dict[str, str], output: IO | int = subprocess.DEVNULL, workers: int = 1
) -> Iterator[tuple[int, int]]:
    """Serve haicap from the project root; yields the port and the first answer of /healthz.

    Any HTTP answer counts as up (a 503 from a missing database is an answer). The server is
    stopped on the way out.
    """
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "haicap.wsgi"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
                status = 200
                break
            except urllib.error.HTTPError as error:
                status = error.code
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield port, status
    finally:
        server.terminate()
        server.wait(timeout=10)
