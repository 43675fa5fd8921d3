"""Database triggers that refuse UPDATE and DELETE on an append-only table, on SQLite and
PostgreSQL: the audit log, and any table an app registers (a directive's updates).

Each trigger is written here the way the database reports it back (SQLite's ``sqlite_master``,
PostgreSQL's ``pg_get_triggerdef``), so ``differences`` can compare what is in the database with
what haicap made, text for text: a trigger of the right name doing something else is found.
"""

from collections.abc import Mapping
from dataclasses import dataclass

# Only these states fire: "O" (origin, the default) and "A" (always); "D" is disabled and
# "R" fires only on replicas.
_POSTGRES_FIRING = ("O", "A")


@dataclass(frozen=True)
class AppendOnlyTable:
    """A table whose rows, once written, are never changed or removed."""

    table: str
    refusal: str  # what the database says when it refuses
    postgres_function: str  # the trigger function, one per table so its refusal names it

    @property
    def sqlite_triggers(self) -> dict[str, str]:
        table, refusal = self.table, self.refusal
        return {
            f"{table}_no_update": f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{refusal}'); END",
            f"{table}_no_delete": f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{refusal}'); END",
        }

    @property
    def postgres_function_body(self) -> str:
        return f" BEGIN RAISE EXCEPTION '{self.refusal}'; END; "

    @property
    def postgres_triggers(self) -> dict[str, str]:
        """``{table}`` is the schema-qualified table name, as pg_get_triggerdef prints it."""
        table, function = self.table, self.postgres_function
        return {
            f"{table}_append_only": f"CREATE TRIGGER {table}_append_only BEFORE DELETE OR UPDATE "
            f"ON {{table}} FOR EACH ROW EXECUTE FUNCTION {function}()",
            # TRUNCATE bypasses row triggers; refuse it as well.
            f"{table}_no_truncate": f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE "
            f"ON {{table}} FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
        }

    def statements(self, vendor: str, create: bool) -> list[str]:
        if vendor == "postgresql":
            if not create:
                return [
                    f"DROP TRIGGER IF EXISTS {name} ON {self.table};"
                    for name in self.postgres_triggers
                ]
            return [
                f"CREATE OR REPLACE FUNCTION {self.postgres_function}() RETURNS trigger AS "
                f"$${self.postgres_function_body}$$ LANGUAGE plpgsql;",
                *(d.format(table=self.table) + ";" for d in self.postgres_triggers.values()),
            ]
        if vendor == "sqlite":
            if not create:
                return [f"DROP TRIGGER IF EXISTS {name};" for name in self.sqlite_triggers]
            return [
                d.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1) + ";"
                for d in self.sqlite_triggers.values()
            ]
        raise NotImplementedError(f"no append-only triggers for {vendor}")

    def differences(self, connection: object) -> list[str]:
        """How the table's triggers in the database differ from these; empty when they match.

        A table rebuild on SQLite drops them; someone with database access may drop, disable or
        replace them with harmless ones of the same name.
        """
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                    [self.table],
                )
                return compare(self.sqlite_triggers, dict(cursor.fetchall()))
            cursor.execute(
                "SELECT t.tgname, pg_get_triggerdef(t.oid), t.tgenabled, l.lanname, p.prosrc, "
                "quote_ident(n.nspname) || '.' || quote_ident(c.relname) "
                "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_language l ON l.oid = p.prolang "
                "WHERE t.tgrelid = %s::regclass AND NOT t.tgisinternal",
                [self.table],
            )
            rows = cursor.fetchall()
        table = rows[0][5] if rows else self.table
        expected = {name: d.format(table=table) for name, d in self.postgres_triggers.items()}
        problems = compare(expected, {row[0]: row[1] for row in rows})
        for name, _definition, enabled, language, body, _table in rows:
            if name not in expected:
                continue
            if enabled not in _POSTGRES_FIRING:
                problems.append(f"{name} is disabled")
            if language != "plpgsql" or body != self.postgres_function_body:
                problems.append(f"{name} calls a function that is not the one haicap made: {body}")
        return problems


_registered: list[AppendOnlyTable] = []


def register(table: AppendOnlyTable) -> AppendOnlyTable:
    """Make ``table`` known as append-only (once, however often); returns it. Its own migration
    creates its triggers; whatever must get past every such table (emptying a test database)
    reads ``registered()``."""
    if table not in _registered:
        _registered.append(table)
    return table


def registered() -> tuple[AppendOnlyTable, ...]:
    return tuple(_registered)


AUDIT_LOG = register(
    AppendOnlyTable(
        table="core_auditrecord",
        refusal="the audit log is append-only",
        postgres_function="haicap_refuse_audit_change",
    )
)

# The audit log's, by the names its migration and the verify command have always used.
TABLE = AUDIT_LOG.table
REFUSAL = AUDIT_LOG.refusal
SQLITE_TRIGGERS = AUDIT_LOG.sqlite_triggers
SQLITE_CREATE = AUDIT_LOG.statements("sqlite", create=True)
SQLITE_DROP = AUDIT_LOG.statements("sqlite", create=False)
POSTGRES_FUNCTION = AUDIT_LOG.postgres_function
POSTGRES_FUNCTION_BODY = AUDIT_LOG.postgres_function_body
POSTGRES_TRIGGERS = AUDIT_LOG.postgres_triggers
POSTGRES_CREATE = AUDIT_LOG.statements("postgresql", create=True)
POSTGRES_DROP = AUDIT_LOG.statements("postgresql", create=False)


def statements(vendor: str, create: bool) -> list[str]:
    """The audit log's triggers, made or dropped."""
    return AUDIT_LOG.statements(vendor, create)


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
    """How the audit log's triggers in the database differ from these; empty when they match."""
    return AUDIT_LOG.differences(connection)
