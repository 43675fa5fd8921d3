"""Database triggers that refuse UPDATE and DELETE on the audit log, on SQLite and PostgreSQL.

Each trigger is written here the way the database reports it back (SQLite's ``sqlite_master``,
PostgreSQL's ``pg_get_triggerdef``), so ``differences`` can compare what is in the database with
what haicap made, text for text: a trigger of the right name doing something else is found.
"""

from collections.abc import Mapping

TABLE = "core_auditrecord"
REFUSAL = "the audit log is append-only"

SQLITE_TRIGGERS = {
    f"{TABLE}_no_update": f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
    f"{TABLE}_no_delete": f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
}
SQLITE_CREATE = [
    definition.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1) + ";"
    for definition in SQLITE_TRIGGERS.values()
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {name};" for name in SQLITE_TRIGGERS]

POSTGRES_FUNCTION = "haicap_refuse_audit_change"
POSTGRES_FUNCTION_BODY = f" BEGIN RAISE EXCEPTION '{REFUSAL}'; END; "
# ``{table}`` is the schema-qualified table name, as pg_get_triggerdef prints it.
POSTGRES_TRIGGERS = {
    f"{TABLE}_append_only": f"CREATE TRIGGER {TABLE}_append_only BEFORE DELETE OR UPDATE "
    f"ON {{table}} FOR EACH ROW EXECUTE FUNCTION {POSTGRES_FUNCTION}()",
    # TRUNCATE bypasses row triggers; refuse it as well.
    f"{TABLE}_no_truncate": f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE "
    f"ON {{table}} FOR EACH STATEMENT EXECUTE FUNCTION {POSTGRES_FUNCTION}()",
}
POSTGRES_CREATE = [
    f"CREATE OR REPLACE FUNCTION {POSTGRES_FUNCTION}() RETURNS trigger AS "
    f"$${POSTGRES_FUNCTION_BODY}$$ LANGUAGE plpgsql;",
    *(definition.format(table=TABLE) + ";" for definition in POSTGRES_TRIGGERS.values()),
]
POSTGRES_DROP = [f"DROP TRIGGER IF EXISTS {name} ON {TABLE};" for name in POSTGRES_TRIGGERS]

# Only these states fire: "O" (origin, the default) and "A" (always); "D" is disabled and
# "R" fires only on replicas.
_POSTGRES_FIRING = ("O", "A")


def statements(vendor: str, create: bool) -> list[str]:
    if vendor == "postgresql":
        return POSTGRES_CREATE if create else POSTGRES_DROP
    if vendor == "sqlite":
        return SQLITE_CREATE if create else SQLITE_DROP
    raise NotImplementedError(f"no append-only triggers for {vendor}")


def compare(expected: Mapping[str, str], found: Mapping[str, str]) -> list[str]:
    """What differs between the triggers haicap made and those found, name by name."""
    problems = []
    for name, definition in expected.items():
        if name not in found:
            problems.append(f"{name} is missing")
        elif " ".join(found[name].split()) != " ".join(definition.split()):
            problems.append(f"{name} is not the one haicap made: {found[name]}")
    problems.extend(f"{name} should not be there" for name in found if name not in expected)
    return problems


def differences(connection: object) -> list[str]:
    """How the audit log's triggers in the database differ from these; empty when they match.

    A table rebuild on SQLite drops them; someone with database access may drop, disable or
    replace them with harmless ones of the same name.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [TABLE],
            )
            return compare(SQLITE_TRIGGERS, dict(cursor.fetchall()))
        cursor.execute(
            "SELECT t.tgname, pg_get_triggerdef(t.oid), t.tgenabled, l.lanname, p.prosrc, "
            "quote_ident(n.nspname) || '.' || quote_ident(c.relname) "
            "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_language l ON l.oid = p.prolang "
            "WHERE t.tgrelid = %s::regclass AND NOT t.tgisinternal",
            [TABLE],
        )
        rows = cursor.fetchall()
    table = rows[0][5] if rows else TABLE
    expected = {name: d.format(table=table) for name, d in POSTGRES_TRIGGERS.items()}
    problems = compare(expected, {row[0]: row[1] for row in rows})
    for name, _definition, enabled, language, body, _table in rows:
        if name not in expected:
            continue
        if enabled not in _POSTGRES_FIRING:
            problems.append(f"{name} is disabled")
        if language != "plpgsql" or body != POSTGRES_FUNCTION_BODY:
            problems.append(f"{name} calls a function that is not the one haicap made: {body}")
    return problems
