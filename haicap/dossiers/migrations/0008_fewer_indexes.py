"""Indexes nothing reads, dropped: each costs every intake a write and the database its size.

- ``applicant_search`` is searched for words anywhere in it (LIKE '%word%'): no B-tree serves
  that; ``step_kind`` is never filtered on.
- The dossier's own index on events and on access rows: the unique (dossier, seq) and (dossier,
  agency) indexes start with the dossier and serve the same lookups.
- ``code`` and ``step`` keep their index but lose PostgreSQL's second one for LIKE 'prefix%'
  (``varchar_pattern_ops``), which Django adds for ``unique=True`` and ``db_index=True``: they
  are declared in ``Meta`` now. On PostgreSQL the existing unique constraint and index are
  renamed, not rebuilt, so a large installation is not locked while they would be remade.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The names Django gave the index and constraint 0001 made (derived from table and column); an
# installation that renamed them is found by what they are, not by name.
CODE_UNIQUE, CODE_LIKE = "dossiers_dossier_code_key", "dossiers_dossier_code_6d68c351_like"
STEP_INDEX, STEP_LIKE = "dossiers_dossier_step_43f840ec", "dossiers_dossier_step_43f840ec_like"


class RenamedOnPostgreSQL(migrations.SeparateDatabaseAndState):
    """``operations`` as Django makes them, except on PostgreSQL, where ``sql`` brings the
    database to the same state by renaming what exists."""

    def __init__(self, operations: list, sql: list[str], reverse_sql: list[str]) -> None:
        super().__init__(database_operations=operations, state_operations=operations)
        self.sql = migrations.RunSQL(sql, reverse_sql)

    def deconstruct(self):
        return self.__class__.__qualname__, [self.state_operations, self.sql.sql], {
            "reverse_sql": self.sql.reverse_sql
        }

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.sql.database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.sql.database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("dossiers", "0007_open_dossier_indexes"),
        ("units", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="dossier",
            name="applicant_search",
            field=models.CharField(editable=False, max_length=200),
        ),
        migrations.AlterField(
            model_name="dossier",
            name="step_kind",
            field=models.CharField(max_length=12),
        ),
        migrations.AlterField(
            model_name="dossieraccess",
            name="dossier",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="access",
                to="dossiers.dossier",
            ),
        ),
        migrations.AlterField(
            model_name="dossierevent",
            name="dossier",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="events",
                to="dossiers.dossier",
            ),
        ),
        RenamedOnPostgreSQL(
            [
                migrations.AlterField(
                    model_name="dossier",
                    name="code",
                    field=models.CharField(max_length=60, verbose_name="dossier code"),
                ),
                migrations.AddConstraint(
                    model_name="dossier",
                    constraint=models.UniqueConstraint(
                        fields=("code",), name="unique_dossier_code"
                    ),
                ),
            ],
            sql=[
                f"DROP INDEX IF EXISTS {CODE_LIKE}",
                # The unique constraint on code, whatever an installation named it.
                """DO $$
                DECLARE found text;
                BEGIN
                  SELECT c.conname INTO found FROM pg_constraint c
                   WHERE c.conrelid = 'dossiers_dossier'::regclass AND c.contype = 'u'
                     AND c.conkey = ARRAY[(SELECT a.attnum FROM pg_attribute a
                       WHERE a.attrelid = 'dossiers_dossier'::regclass AND a.attname = 'code')];
                  IF found IS NULL THEN
                    ALTER TABLE dossiers_dossier ADD CONSTRAINT unique_dossier_code UNIQUE (code);
                  ELSIF found <> 'unique_dossier_code' THEN
                    EXECUTE format(
                      'ALTER TABLE dossiers_dossier RENAME CONSTRAINT %I TO unique_dossier_code',
                      found);
                  END IF;
                END $$""",
            ],
            reverse_sql=[
                f"ALTER TABLE dossiers_dossier RENAME CONSTRAINT unique_dossier_code"
                f" TO {CODE_UNIQUE}",
                f"CREATE INDEX {CODE_LIKE} ON dossiers_dossier (code varchar_pattern_ops)",
            ],
        ),
        RenamedOnPostgreSQL(
            [
                migrations.AlterField(
                    model_name="dossier",
                    name="step",
                    field=models.CharField(max_length=60, verbose_name="step"),
                ),
                migrations.AddIndex(
                    model_name="dossier",
                    index=models.Index(fields=["step"], name="dossier_step"),
                ),
            ],
            sql=[
                f"DROP INDEX IF EXISTS {STEP_LIKE}",
                f"""DO $$
                BEGIN
                  IF to_regclass('{STEP_INDEX}') IS NOT NULL THEN
                    ALTER INDEX {STEP_INDEX} RENAME TO dossier_step;
                  ELSIF to_regclass('dossier_step') IS NULL THEN
                    CREATE INDEX dossier_step ON dossiers_dossier (step);
                  END IF;
                END $$""",
            ],
            reverse_sql=[
                f"ALTER INDEX dossier_step RENAME TO {STEP_INDEX}",
                f"CREATE INDEX {STEP_LIKE} ON dossiers_dossier (step varchar_pattern_ops)",
            ],
        ),
    ]
