"""A real PostgreSQL primary and a streaming standby of it, in a temporary folder, on free ports.

PostgreSQL refuses to run as root: under root the servers run as the ``postgres`` user.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

BIN = Path(os.environ.get("HAICAP_PG_BIN", "/usr/lib/postgresql/15/bin"))
RUN_AS = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
DATABASE = "haicap"

PRIMARY_SETTINGS = """
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{sockets}'
wal_level = replica
max_wal_senders = 4
hot_standby = on
fsync = off
full_page_writes = off
shared_buffers = 32MB
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(*args: str | Path) -> None:
    done = subprocess.run([*RUN_AS, *map(str, args)], capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{Path(args[0]).name} failed: {done.stderr.strip()}")


@dataclass
class Server:
    data: Path
    port: int

    def start(self) -> None:
        _run(BIN / "pg_ctl", "-D", self.data, "-l", self.data.parent / f"{self.port}.log", "-w",
             "start")  # fmt: skip

    def stop(self) -> None:
        _run(BIN / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")

    def running(self) -> bool:
        status = subprocess.run([*RUN_AS, str(BIN / "pg_ctl"), "-D", str(self.data), "status"],
                                capture_output=True)  # fmt: skip
        return status.returncode == 0

    def connect(self, dbname: str = DATABASE) -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=dbname,
                               autocommit=True, connect_timeout=5)  # fmt: skip

    def one(self, sql: str) -> object:
        with self.connect() as conn:
            return conn.execute(sql).fetchone()[0]


@dataclass
class Pair:
    root: Path
    primary: Server
    standby: Server

    def wait_replayed(self, timeout: float = 30) -> None:
        """Until the standby has replayed all the primary has committed so far (a commit is
        flushed before it returns; what is not flushed yet is not sent)."""
        target = self.primary.one("SELECT pg_current_wal_flush_lsn()::text")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done = self.standby.one(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")
            if done:
                return
            time.sleep(0.05)
        raise TimeoutError("the standby did not catch up")

    def close(self) -> None:
        for server in (self.standby, self.primary):
            if server.running():
                server.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def start_pair() -> Pair:
    root = Path(tempfile.mkdtemp(prefix="haicap-replica-"))
    if RUN_AS:
        shutil.chown(root, "postgres", "postgres")
    primary = Server(root / "primary", free_port())
    standby = Server(root / "standby", free_port())
    pair = Pair(root, primary, standby)
    try:
        _run(BIN / "initdb", "-D", primary.data, "-U", "postgres", "-A", "trust", "-N",
             "-E", "UTF8", "--locale=C.UTF-8")  # fmt: skip
        with open(primary.data / "postgresql.conf", "a") as conf:
            conf.write(PRIMARY_SETTINGS.format(port=primary.port, sockets=root))
        primary.start()
        with primary.connect("postgres") as conn:
            conn.execute(f"CREATE DATABASE {DATABASE}")
        # -R writes the standby's primary_conninfo and standby.signal.
        _run(BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
             "-D", standby.data, "-R", "-X", "stream", "-c", "fast", "-N")  # fmt: skip
        with open(standby.data / "postgresql.conf", "a") as conf:
            conf.write(f"port = {standby.port}\n")
        standby.start()
        pair.wait_replayed()
    except BaseException:
        pair.close()
        raise
    return pair
