"""What the simulated national systems hold for haicap to read (pure: stdlib only): the
portal's queue of filings made online, and the business register's enterprises.

Stored in the simulator's SQLite file beside the applied messages, so they survive restarts.
The endpoints that serve them are described in ``server.py``.
"""

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS queue (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    national_id TEXT NOT NULL UNIQUE,
    filing TEXT NOT NULL,
    acknowledgement TEXT
);
CREATE TABLE IF NOT EXISTS enterprises (
    code TEXT PRIMARY KEY,
    record TEXT NOT NULL
);
"""
PAGE = 100


class Inbound:
    def __init__(self, path: str | Path) -> None:
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def offer(self, filing: dict[str, Any]) -> tuple[bool, int]:
        """Put a filing in the queue once per national id: (new?, its place)."""
        national_id = filing.get("national_id")
        if not isinstance(national_id, str) or not national_id:
            raise ValueError("a filing needs a national_id")
        with self._lock:
            known = self._db.execute(
                "SELECT seq FROM queue WHERE national_id = ?", (national_id,)
            ).fetchone()
            if known:
                return False, known[0]
            cursor = self._db.execute(
                "INSERT INTO queue (national_id, filing) VALUES (?, ?)",
                (national_id, json.dumps(filing, ensure_ascii=False)),
            )
            return True, cursor.lastrowid

    def waiting(self, after: str, limit: int = PAGE) -> dict[str, Any]:
        """The page of filings not yet acknowledged after the cursor ``after``."""
        start = int(after) if after.isdigit() else 0
        with self._lock:
            rows = self._db.execute(
                "SELECT seq, filing FROM queue WHERE seq > ? AND acknowledgement IS NULL"
                " ORDER BY seq LIMIT ?",
                (start, limit),
            ).fetchall()
        following = str(rows[-1][0]) if rows else (after or None)
        return {"items": [json.loads(filing) for _seq, filing in rows], "next": following}

    def acknowledge(self, national_id: str, answer: dict[str, Any]) -> int:
        """200 the first time, 409 when already acknowledged, 404 for an unknown filing."""
        with self._lock:
            known = self._db.execute(
                "SELECT acknowledgement FROM queue WHERE national_id = ?", (national_id,)
            ).fetchone()
            if known is None:
                return 404
            if known[0] is not None:
                return 409
            self._db.execute(
                "UPDATE queue SET acknowledgement = ? WHERE national_id = ?",
                (json.dumps(answer, ensure_ascii=False), national_id),
            )
            return 200

    def acknowledgements(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT national_id, acknowledgement FROM queue ORDER BY seq"
            ).fetchall()
        return [
            {"national_id": nid, "acknowledgement": json.loads(ack) if ack else None}
            for nid, ack in rows
        ]

    def register(self, code: str, record: dict[str, Any]) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO enterprises (code, record) VALUES (?, ?)"
                " ON CONFLICT (code) DO UPDATE SET record = excluded.record",
                (code, json.dumps({**record, "enterprise_code": code}, ensure_ascii=False)),
            )

    def enterprise(self, code: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute(
                "SELECT record FROM enterprises WHERE code = ?", (code,)
            ).fetchone()
        return json.loads(row[0]) if row else None
