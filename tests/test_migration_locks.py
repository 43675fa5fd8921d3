"""No migration locks a large table on PostgreSQL for as long as it has rows, unless it is listed
here with why it was acceptable (``docs/upgrades.md``). The tables: ``LARGE_TABLES``."""

import pytest
from django.db.migrations.loader import MigrationLoader

from haicap.core.migration_locks import LARGE_TABLES
from haicap.core.migration_reading import locking_operations

BEFORE_RELEASE = "made before the first release: no province's database had rows then"
RENAMED = "on PostgreSQL the migration renames the existing one (RenamedOnPostgreSQL)"

# Every operation found to lock, by "app.migration: Django's description", and why it was allowed.
ALLOWED: dict[str, str] = {
    "core.0003_audit_chains: Create constraint unique_audit_chain_seq on model auditrecord": (
        BEFORE_RELEASE
    ),
    "dossiers.0008_fewer_indexes: Create constraint unique_dossier_code on model dossier": RENAMED,
    "dossiers.0008_fewer_indexes: Create index dossier_step on field(s) step of model dossier": (
        RENAMED
    ),
    "dossiers.0010_online_submission_filing_token_repeat_of:"
    " Add field filing_token to onlinesubmission": BEFORE_RELEASE,
    "dossiers.0010_online_submission_filing_token_repeat_of:"
    " Add field repeat_of to onlinesubmission": BEFORE_RELEASE,
    "dossiers.0017_result_delivery_and_log_book:"
    " Create constraint unique_dossier_log_number on model dossier": BEFORE_RELEASE,
    "exchange.0002_delivery_and_mappings:"
    " Create index outbox_due on field(s) target, next_attempt_at of model outboxmessage": (
        BEFORE_RELEASE
    ),
    "kpi.0002_figures_by_year_and_field_and_balances: Create index daily_figures_procedure"
    " on field(s) agency, procedure, period of model dailyfigures": BEFORE_RELEASE,
    "kpi.0002_figures_by_year_and_field_and_balances: Create index monthly_figures_procedure"
    " on field(s) agency, procedure, period of model monthlyfigures": BEFORE_RELEASE,
    "kpi.0003_fill_figures_by_year_and_field: Raw Python operation": BEFORE_RELEASE,
    "kpi.0005_fill_figures_by_dekad: Raw Python operation": BEFORE_RELEASE,
    **{
        f"kpi.0006_figures_by_field_keep_the_unit: {operation} unit {to_or_on} {model}": (
            BEFORE_RELEASE
        )
        for model in (
            "fieldbalance",
            "fielddailyfigures",
            "fielddekadfigures",
            "fieldmonthlyfigures",
            "fieldyearlyfigures",
        )
        for operation, to_or_on in (("Add field", "to"), ("Alter field", "on"))
    },
    "kpi.0006_figures_by_field_keep_the_unit: Raw Python operation": BEFORE_RELEASE,
}


@pytest.fixture(scope="module")
def found() -> dict[str, str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    findings = locking_operations(loader, frozenset(LARGE_TABLES))
    return {finding.key: finding.reason for finding in findings}


def test_no_migration_locks_a_large_table_unless_it_is_allowed(found):
    new = {key: reason for key, reason in found.items() if key not in ALLOWED}
    assert not new, (
        "these operations would lock a large table on PostgreSQL; write them as"
        f" docs/upgrades.md says, or allow them here with a reason: {new}"
    )


def test_every_allowed_operation_is_still_found(found):
    stale = sorted(set(ALLOWED) - set(found))
    assert not stale, f"allowed but no longer found (remove them from ALLOWED): {stale}"


def test_every_large_table_is_a_model():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    apps = loader.project_state().apps
    for label in LARGE_TABLES:
        assert apps.get_model(label)._meta.label_lower == label
