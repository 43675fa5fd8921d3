"""A backup's manifest: what it holds and how to tell it is whole (pure: no Django).

The manifest is ``manifest.json`` in the backup's folder. It names the database vendor, the
migrations applied, the row count of every table and the audit log's chain heads, all read in
the same snapshot as the data, and the SHA-256 of every other file in the folder.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = 1
MANIFEST_NAME = "manifest.json"
VENDORS = ("sqlite", "postgresql")


class ManifestError(ValueError):
    """The manifest is missing, malformed, or does not match the files beside it."""


@dataclass(frozen=True)
class Manifest:
    haicap_version: str
    vendor: str
    created_at: str  # ISO 8601, UTC
    database_file: str  # the database's file, relative to the backup's folder
    migrations: tuple[tuple[str, str], ...]  # (app, name) applied, sorted
    row_counts: Mapping[str, int]
    chain_heads: Mapping[int, tuple[int, str]]  # chain -> (last seq, last hash); -1: anchors
    anchor: str | None  # the newest audit anchor as SEQ:HASH, None when there is none
    files: Mapping[str, str] = field(default_factory=dict)  # relative path -> sha256

    def to_json(self) -> str:
        data = {
            "format": FORMAT,
            "haicap_version": self.haicap_version,
            "vendor": self.vendor,
            "created_at": self.created_at,
            "database_file": self.database_file,
            "migrations": [list(pair) for pair in self.migrations],
            "row_counts": dict(sorted(self.row_counts.items())),
            "audit": {
                "chain_heads": {
                    str(chain): [seq, digest]
                    for chain, (seq, digest) in sorted(self.chain_heads.items())
                },
                "anchor": self.anchor,
            },
            "files": dict(sorted(self.files.items())),
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _require(condition: bool, what: str) -> None:
    if not condition:
        raise ManifestError(f"the manifest is malformed: {what}")


def _is_digest(value: Any) -> bool:
    return (
        isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)
    )


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def parse_manifest(text: str) -> Manifest:
    """The manifest in ``text``; ManifestError naming the first thing wrong with it."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ManifestError(f"the manifest is not JSON ({error})") from None
    _require(isinstance(data, dict), "not a JSON object")
    _require(data.get("format") == FORMAT, f"format is not {FORMAT}")
    for key in ("haicap_version", "created_at", "database_file"):
        _require(isinstance(data.get(key), str) and data[key] != "", f"{key} is missing")
    _require(data.get("vendor") in VENDORS, "vendor is not sqlite or postgresql")
    migrations = data.get("migrations")
    _require(isinstance(migrations, list), "migrations is not a list")
    _require(
        all(
            isinstance(m, list) and len(m) == 2 and all(isinstance(p, str) for p in m)
            for m in migrations
        ),
        "a migration is not [app, name]",
    )
    counts = data.get("row_counts")
    _require(isinstance(counts, dict), "row_counts is not an object")
    _require(all(_is_count(n) for n in counts.values()), "a row count is not a whole number")
    audit = data.get("audit")
    _require(isinstance(audit, dict), "audit is not an object")
    heads = audit.get("chain_heads")
    _require(isinstance(heads, dict), "audit.chain_heads is not an object")
    chain_heads: dict[int, tuple[int, str]] = {}
    for chain, head in heads.items():
        _require(chain.lstrip("-").isdigit(), f"chain {chain!r} is not a number")
        _require(
            isinstance(head, list)
            and len(head) == 2
            and _is_count(head[0])
            and _is_digest(head[1]),
            f"chain {chain}'s head is not [seq, sha256]",
        )
        chain_heads[int(chain)] = (head[0], head[1])
    anchor = audit.get("anchor")
    if anchor is not None:
        seq, _, digest = str(anchor).partition(":")
        _require(isinstance(anchor, str) and seq.isdigit() and _is_digest(digest), "anchor")
    files = data.get("files")
    _require(isinstance(files, dict), "files is not an object")
    _require(all(_is_digest(d) for d in files.values()), "a checksum is not a sha256")
    _require(all(_is_safe_path(p) for p in files), "a file path leaves the backup's folder")
    _require(data["database_file"] in files, "the database file has no checksum")
    return Manifest(
        haicap_version=data["haicap_version"],
        vendor=data["vendor"],
        created_at=data["created_at"],
        database_file=data["database_file"],
        migrations=tuple((app, name) for app, name in migrations),
        row_counts=dict(counts),
        chain_heads=chain_heads,
        anchor=anchor,
        files=dict(files),
    )


def _is_safe_path(relative: str) -> bool:
    parts = relative.split("/")
    return relative != "" and not relative.startswith("/") and ".." not in parts


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def digests_of(root: Path) -> dict[str, str]:
    """The SHA-256 of every file under ``root`` but the manifest, by path relative to it."""
    return {
        path.relative_to(root).as_posix(): sha256_of(path)
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.relative_to(root).as_posix() != MANIFEST_NAME
    }


def checksum_problems(expected: Mapping[str, str], found: Mapping[str, str]) -> list[str]:
    """Each file missing, added or changed since the manifest was written; empty when none."""
    problems = [f"{path} is missing" for path in sorted(set(expected) - set(found))]
    problems += [f"{path} is not in the manifest" for path in sorted(set(found) - set(expected))]
    problems += [
        f"{path} fails its checksum"
        for path in sorted(set(expected) & set(found))
        if expected[path] != found[path]
    ]
    return problems


def count_differences(expected: Mapping[str, int], found: Mapping[str, int]) -> list[str]:
    """Each table whose row count differs from the manifest's (a missing table counts none)."""
    return [
        f"{table}: {found.get(table, 'no table')} rows, the manifest says "
        f"{expected.get(table, 'no table')}"
        for table in sorted(set(expected) | set(found))
        if expected.get(table) != found.get(table)
    ]


def unknown_migrations(
    applied: Iterable[tuple[str, str]], known: Iterable[tuple[str, str]]
) -> list[str]:
    """The backup's migrations this code does not have: the backup is newer than the code."""
    return [f"{app}.{name}" for app, name in sorted(set(applied) - set(known))]
