"""``simulate_payment_gateway``, run as an operator runs it (its own process): it says where it
listens, answers the wire contract with the fault knobs it was given, stops on SIGTERM, and
refuses what it cannot do in one readable line with a non-zero exit."""

import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from haicap.payments.gateway import HttpPaymentGateway
from tests.served import ROOT, free_port

READY = "Payment gateway simulator on http://127.0.0.1:"


def command(*args: str) -> list[str]:
    return [sys.executable, "manage.py", "simulate_payment_gateway", *args]


def environment(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "HAICAP_VAR_DIR": str(tmp_path / "var")}


@pytest.fixture
def running(tmp_path):
    """The command started with a few faults named; yields its port, then stops it."""
    port = free_port()
    process = subprocess.Popen(
        command("--port", str(port), "--secret", "S", "--error-rate", "0.25",
                "--duplicate-callback-rate", "1", "--seed", "7"),
        cwd=ROOT,
        env=environment(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        first = process.stdout.readline()  # it prints its address once it is listening
        assert first.strip() == f"{READY}{port}", process.stderr.read()
        yield process, port
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_it_starts_says_where_and_answers_with_the_faults_it_was_given(running, tmp_path):
    process, port = running
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=10) as answer:
        health = json.loads(answer.read())
    assert health["status"] == "ok"
    assert health["orders"] == 0
    assert health["faults"]["error_rate"] == 0.25
    assert health["faults"]["duplicate_callback_rate"] == 1.0
    assert health["faults"]["lost_callback_rate"] == 0.0
    # It keeps its orders in the var dir by default, across restarts.
    assert (tmp_path / "var" / "payment-gateway-simulator.sqlite3").exists()

    # haicap's own adapter reads an order's state from it (a GET: no error fault on reads).
    assert HttpPaymentGateway(f"http://127.0.0.1:{port}").transaction("LP-NONE") is None

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=10) == 0


def run_to_the_end(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        command(*args),
        cwd=ROOT,
        env=environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_port_in_use_is_one_readable_line_and_a_non_zero_exit(running, tmp_path):
    _process, port = running
    done = run_to_the_end(tmp_path, "--port", str(port), "--secret", "S",
                          "--state", str(tmp_path / "other.sqlite3"))  # fmt: skip
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("CommandError: ")
    assert "Address already in use" in lines[0]


def test_a_state_file_it_cannot_open_is_one_readable_line(tmp_path):
    done = run_to_the_end(tmp_path, "--port", str(free_port()), "--secret", "S",
                          "--state", str(tmp_path / "no-such-folder" / "book.sqlite3"))  # fmt: skip
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == ["CommandError: unable to open database file"]


def test_without_a_secret_it_refuses_to_start(tmp_path):
    done = run_to_the_end(tmp_path, "--port", str(free_port()), "--secret", "")
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "CommandError: the gateway signs its confirmations: give it a secret"
    ]
