"""The backup manifest's pure core: it reads back what was written, and any change is found."""

import json
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haicap.operations.manifest import (
    Manifest,
    ManifestError,
    checksum_problems,
    count_differences,
    digests_of,
    parse_manifest,
    unknown_migrations,
)

digests = st.text("0123456789abcdef", min_size=64, max_size=64)
names = st.text(string.ascii_lowercase + "_", min_size=1, max_size=12)
paths = st.lists(names, min_size=1, max_size=3).map("/".join)
migrations = st.lists(st.tuples(names, names), unique=True).map(lambda m: tuple(sorted(m)))
counts = st.dictionaries(names, st.integers(0, 10**9))


@st.composite
def manifests(draw) -> Manifest:
    files = draw(st.dictionaries(paths, digests, min_size=1))
    return Manifest(
        haicap_version=draw(st.sampled_from(["0.1.0", "1.2.3"])),
        vendor=draw(st.sampled_from(["sqlite", "postgresql"])),
        created_at="2026-07-01T02:00:00+00:00",
        database_file=draw(st.sampled_from(sorted(files))),
        migrations=draw(migrations),
        row_counts=draw(counts),
        chain_heads=draw(
            st.dictionaries(st.integers(-1, 63), st.tuples(st.integers(0, 10**6), digests))
        ),
        anchor=draw(st.none() | st.builds(lambda s, d: f"{s}:{d}", st.integers(1, 10**6), digests)),
        files=files,
    )


@given(manifests())
def test_a_manifest_reads_back_as_written(manifest):
    assert parse_manifest(manifest.to_json()) == manifest


REQUIRED = ["format", "haicap_version", "vendor", "created_at", "database_file", "migrations",
            "row_counts", "audit", "files"]  # fmt: skip


@given(manifests(), st.sampled_from(REQUIRED))
def test_a_manifest_missing_any_part_is_refused(manifest, key):
    data = json.loads(manifest.to_json())
    del data[key]
    with pytest.raises(ManifestError):
        parse_manifest(json.dumps(data))


@given(manifests(), st.data())
def test_a_manifest_cut_short_is_refused(manifest, data):
    text = manifest.to_json()
    cut = data.draw(st.integers(0, len(text.rstrip()) - 1))
    with pytest.raises(ManifestError):
        parse_manifest(text[:cut])


def test_a_manifest_naming_a_file_outside_the_backup_is_refused():
    manifest = Manifest("0.1.0", "sqlite", "t", "db", (), {}, {}, None, {"../db": "0" * 64})
    with pytest.raises(ManifestError, match="leaves the backup"):
        parse_manifest(
            manifest.to_json().replace('"database_file": "db"', '"database_file": "../db"')
        )


@given(st.dictionaries(paths, digests, min_size=1), st.data())
def test_every_changed_missing_or_added_file_is_named(files, data):
    assert checksum_problems(files, dict(files)) == []
    path = data.draw(st.sampled_from(sorted(files)))
    changed = {**files, path: "f" * 64 if files[path] != "f" * 64 else "0" * 64}
    assert checksum_problems(files, changed) == [f"{path} fails its checksum"]
    missing = {p: d for p, d in files.items() if p != path}
    assert checksum_problems(files, missing) == [f"{path} is missing"]
    assert checksum_problems(missing, files) == [f"{path} is not in the manifest"]


@given(counts, counts)
def test_row_counts_differ_exactly_when_some_table_differs(expected, found):
    differences = count_differences(expected, found)
    assert (differences == []) == (expected == found)
    assert len(differences) == sum(
        expected.get(t) != found.get(t) for t in set(expected) | set(found)
    )


@given(migrations, migrations)
def test_migrations_the_code_lacks_are_named(applied, known):
    newer = unknown_migrations(applied, known)
    assert newer == [f"{a}.{n}" for a, n in sorted(set(applied) - set(known))]
    assert unknown_migrations(applied, {*known, *applied}) == []


def test_digests_cover_every_file_but_the_manifest(tmp_path):
    (tmp_path / "media" / "a").mkdir(parents=True)
    (tmp_path / "media" / "a" / "scan.pdf").write_bytes(b"%PDF")
    (tmp_path / "database.sqlite3").write_bytes(b"")
    (tmp_path / "manifest.json").write_text("{}")
    assert digests_of(tmp_path) == {
        "database.sqlite3": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "media/a/scan.pdf": "315d429b7714cedb6ad04ac31240145257692630457f3c88253c5beceac76027",
    }
