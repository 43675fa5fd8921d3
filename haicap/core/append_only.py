"""Database triggers that refuse UPDATE and DELETE on the audit log, on SQLite and PostgreSQL."""

TABLE = "core_auditrecord"

SQLITE_CREATE = [
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update;",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete;",
]

POSTGRES_CREATE = [
    "CREATE OR REPLACE FUNCTION haicap_refuse_audit_change() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql;",
    f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION haicap_refuse_audit_change();",
    # TRUNCATE bypasses row triggers; refuse it as well.
    f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION haicap_refuse_audit_change();",
]
POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE};",
]


def statements(vendor: str, create: bool) -> list[str]:
    if vendor == "postgresql":
        return POSTGRES_CREATE if create else POSTGRES_DROP
    if vendor == "sqlite":
        return SQLITE_CREATE if create else SQLITE_DROP
    raise NotImplementedError(f"no append-only triggers for {vendor}")


def installed(connection: object) -> bool:
    """Whether the append-only triggers are in place (a table rebuild on SQLite drops them)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [TABLE],
            )
            return cursor.fetchone()[0] == len(SQLITE_CREATE)
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
            [TABLE],
        )
        return cursor.fetchone()[0] == len(POSTGRES_CREATE) - 1  # the function is not a trigger
