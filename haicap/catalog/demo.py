"""The demo province's catalogue: the shipped process templates, fields and procedures."""

import csv
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from haicap.catalog import procedure_sheet
from haicap.catalog.services import ensure_fields, import_procedures, publish_template
from haicap.core.sheets import read_rows

DATA_DIR = Path(__file__).resolve().parent / "data"
TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "workflow" / "templates"
FIELDS = DATA_DIR / "fields.csv"
PROCEDURES = DATA_DIR / "nghe-an-procedures.csv"
# The shipped templates are in force from the day the communes of the reform began to work, so
# the demo's history (and a paper receipt entered late) can pin them.
CATALOGUE_IN_FORCE = dt.datetime(2025, 7, 1, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@dataclass(frozen=True)
class CatalogueReport:
    templates: int
    fields_changed: int
    procedures_created: int
    procedures_updated: int


def load_demo_catalogue() -> CatalogueReport:
    templates = 0
    for path in sorted(TEMPLATES_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        publish_template(None, data["code"], data["name"], data, in_force_from=CATALOGUE_IN_FORCE)
        templates += 1
    with FIELDS.open(encoding="utf-8") as f:
        fields_changed = ensure_fields(None, [(r["code"], r["name"]) for r in csv.DictReader(f)])
    header, rows = read_rows(PROCEDURES.name, PROCEDURES.read_bytes())
    created, updated = import_procedures(None, procedure_sheet.parse_rows(rows, header))
    return CatalogueReport(templates, fields_changed, created, updated)
