"""Which migration operations would hold a long lock on a large PostgreSQL table.

A pure rule over a small description of each operation (``OperationFacts``); reading Django's
migrations into those descriptions is ``core.migration_reading``. The rules are PostgreSQL 15's:
a lock that only changes the catalogue is brief and is not counted, one held while every row is
read or rewritten is.
"""

from dataclasses import dataclass
from enum import StrEnum

# The tables that grow with dossiers, by "app_label.model_name": a province has millions of rows
# in them after a few years, so rewriting or scanning one under lock stops the desks.
LARGE_TABLES: dict[str, str] = {
    "dossiers.dossier": "one row per dossier ever received",
    "dossiers.dossierevent": "every action on every dossier, append-only",
    "dossiers.dossieraccess": "every agency that has held each dossier (the scoping join)",
    "dossiers.dossierdocument": "every paper of every dossier",
    "dossiers.intakerequest": "one idempotency key per dossier received through the API",
    "dossiers.notification": "several desk notices per dossier",
    "dossiers.onlinesubmission": "every online filing, accepted or returned",
    "dossiers.submissiondocument": "every paper uploaded with an online filing",
    "dossiers.digitisedpaper": "every paper scanned at a desk",
    "dossiers.dossierdigitisation": "one row per digitised dossier",
    "dossiers.signedresult": "one signed result per electronic result",
    "dossiers.signaturecheck": "one check per result file and set of trusted roots",
    "core.auditrecord": "the audit log: one row per change anywhere, append-only",
    "kpi.dailyfigures": "figures per day, agency, procedure and channel",
    "kpi.dekadfigures": "figures per dekad, agency, procedure and channel",
    "kpi.monthlyfigures": "figures per month, agency, procedure and channel",
    "kpi.yearlyfigures": "figures per year, agency, procedure and channel",
    "kpi.fielddailyfigures": "figures per day, agency and field",
    "kpi.fielddekadfigures": "figures per dekad, agency and field",
    "kpi.fieldmonthlyfigures": "figures per month, agency and field",
    "kpi.fieldyearlyfigures": "figures per year, agency and field",
    "kpi.balance": "month-end balances per agency and procedure",
    "kpi.fieldbalance": "month-end balances per agency and field",
    "exchange.outboxmessage": "one message to the national portal per dossier event",
}


class Kind(StrEnum):
    ADD_FIELD = "add_field"
    ALTER_FIELD = "alter_field"
    ADD_INDEX = "add_index"
    ADD_CONSTRAINT = "add_constraint"
    RUN_CODE = "run_code"  # RunPython or RunSQL
    OTHER = "other"  # creates, drops and renames: a catalogue change or a new, empty table


@dataclass(frozen=True)
class OperationFacts:
    """What the rule needs to know of one operation, as PostgreSQL would run it."""

    kind: Kind
    table: str  # "app_label.model_name"
    table_is_new: bool = False  # created earlier in the same migration: still empty
    # AddField / AlterField: the column after the operation
    nullable: bool = True
    has_default: bool = False  # a Python default (Django sends it as a constant) or db_default
    volatile_default: bool = False  # a db_default PostgreSQL evaluates per row (random, uuid)
    indexed: bool = False  # gains an index or a unique constraint
    foreign_key: bool = False  # gains a foreign-key constraint, which is validated at once
    # AlterField: how the column was before
    was_nullable: bool = True
    type_rewrites: bool = False  # the column's type changes in a way that rewrites the table
    # AddIndex
    concurrently: bool = False
    # RunPython / RunSQL
    touches_large_table: bool = False
    batched: bool = False  # commits every batch on its own (in a non-atomic migration)


def lock_reason(facts: OperationFacts, large_tables: frozenset[str]) -> str | None:
    """Why ``facts`` would lock a large table for as long as it has rows; None if it would not."""
    if facts.kind is Kind.RUN_CODE:
        if facts.touches_large_table and not facts.batched:
            return "changes a large table in one transaction"
        return None
    if facts.table not in large_tables or facts.table_is_new:
        return None
    match facts.kind:
        case Kind.ADD_FIELD:
            return _add_field(facts)
        case Kind.ALTER_FIELD:
            return _alter_field(facts)
        case Kind.ADD_INDEX:
            return None if facts.concurrently else "builds an index without CONCURRENTLY"
        case Kind.ADD_CONSTRAINT:
            # Django adds every constraint valid; NOT VALID is written in RunSQL (RUN_CODE).
            return "adds a constraint and validates it at once"
    return None


def _add_field(facts: OperationFacts) -> str | None:
    # PostgreSQL 11+ stores a constant default in the catalogue: no rewrite. A volatile one is
    # computed for every row, rewriting the table.
    if facts.volatile_default:
        return "adds a column with a volatile default (rewrites the table)"
    if not facts.nullable and not facts.has_default:
        return "adds a NOT NULL column without a default"
    return _new_index_or_key(facts)


def _alter_field(facts: OperationFacts) -> str | None:
    if facts.type_rewrites:
        return "changes a column's type (rewrites the table)"
    if facts.was_nullable and not facts.nullable:
        return "sets NOT NULL (reads every row under an exclusive lock)"
    return _new_index_or_key(facts)


def _new_index_or_key(facts: OperationFacts) -> str | None:
    if facts.indexed:
        return "builds an index without CONCURRENTLY"
    if facts.foreign_key:
        return "adds a foreign key and validates it at once"
    return None


# varchar(n) -> varchar(m >= n) or -> text: PostgreSQL only changes the catalogue.
_WIDENINGS = ("varchar", "text")


def type_rewrites(before: str | None, after: str | None) -> bool:
    """Whether changing a column from PostgreSQL type ``before`` to ``after`` rewrites it."""
    if before == after or before is None or after is None:
        return False
    old_base, old_length = _split_type(before)
    new_base, new_length = _split_type(after)
    if old_base == "varchar" and new_base in _WIDENINGS:
        unlimited = float("inf")
        return new_base == "varchar" and (new_length or unlimited) < (old_length or unlimited)
    return True


def _split_type(db_type: str) -> tuple[str, int | None]:
    name = db_type.strip().lower()
    if name.startswith("varchar(") and name.endswith(")"):
        return "varchar", int(name[len("varchar(") : -1])
    return name, None
