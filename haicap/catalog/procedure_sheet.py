"""Reading a procedure list from a spreadsheet's rows (pure: no Django).

One row per procedure, columns as in ``data/nghe-an-procedures.csv``. Every problem is
collected with its line number; a file with any problem is refused whole, so a catalogue is
never half imported.
"""

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from haicap.core.characters import row_problems
from haicap.core.sheets import SheetError

COLUMNS = (
    "national_code",
    "name",
    "field",
    "tier",
    "agency_kind",
    "department",
    "legal_amount",
    "legal_unit",
    "cutoff",
    "fee_vnd",
    "fee_note",
    "online_level",
    "template",
    "documents",
    "decision",
)
# Read when present, so sheets made before the column existed still import.
OPTIONAL_COLUMNS = ("legal_source", "result_name")
TIERS = ("province", "commune")
PROVINCE_KINDS = (
    "provincial_peoples_committee",
    "ppc_office",
    "department",
    "provincial_service_center",
)
COMMUNE_KINDS = (
    "commune_peoples_committee",
    "council_committee_office",
    "economic_office",
    "culture_social_office",
    "commune_service_center",
)
LEGAL_UNITS = ("working_days", "working_hours", "calendar_days", "whole_working_days")
ONLINE_LEVELS = ("none", "partial", "full")
DOCUMENT_FORMS = {
    "bản chính": "original",
    "bản sao": "copy",
    "bản chính hoặc bản sao": "either",
    "xuất trình": "shown",
}
_DOCUMENT = re.compile(r"^(?P<name>.+?)\s*(\((?P<form>[^()]+)\))?$")


@dataclass(frozen=True)
class ProcedureRow:
    line: int
    national_code: str
    name: str
    field: str
    tier: str
    agency_kind: str
    department: str
    legal_amount: Decimal
    legal_unit: str
    cutoff: dt.time | None
    fee_vnd: int
    fee_note: str
    online_level: str
    template: str
    documents: tuple[dict, ...]
    decision: str
    legal_source: str = ""
    result_name: str = ""  # the paper the procedure gives ("Giấy khai sinh")


def _clean(value: object) -> str:
    text = "" if value is None else str(value)
    return " ".join(unicodedata.normalize("NFC", text).split())


def parse_documents(text: str) -> tuple[dict, ...]:
    """``"Tờ khai (bản chính); CCCD (xuất trình)"`` → names with the form each is needed in."""
    documents = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        match = _DOCUMENT.match(part)
        form_text = (match.group("form") or "").strip().lower() if match else ""
        form = DOCUMENT_FORMS.get(form_text, "either")
        name = match.group("name").strip() if match and form_text in DOCUMENT_FORMS else part
        documents.append({"name": name, "form": form, "quantity": 1})
    return tuple(documents)


def parse_rows(rows: Iterable[Mapping[str, object]], header: Iterable[str]) -> list[ProcedureRow]:
    missing = [c for c in COLUMNS if c not in set(header)]
    if missing:
        raise SheetError([f"line 1: missing column(s) {', '.join(missing)}"])
    problems: list[str] = []
    parsed: list[ProcedureRow] = []
    seen: dict[str, int] = {}
    for offset, raw in enumerate(rows):
        line = offset + 2
        row = {c: _clean(raw.get(c)) for c in COLUMNS + OPTIONAL_COLUMNS}
        if not any(row.values()):
            continue  # blank lines in a spreadsheet are not procedures
        before = len(problems)

        def bad(message: str, line: int = line) -> None:
            problems.append(f"line {line}: {message}")

        for problem in row_problems({c: raw.get(c) for c in COLUMNS + OPTIONAL_COLUMNS}):
            bad(problem)

        for required in ("national_code", "name", "field", "template"):
            if not row[required]:
                bad(f"{required} is empty")
        code = row["national_code"]
        if code in seen:
            bad(f"national code {code} is already on line {seen[code]}")
        seen.setdefault(row["national_code"], line)
        tier, kind = row["tier"], row["agency_kind"]
        if tier not in TIERS:
            bad(f"tier must be one of {', '.join(TIERS)}")
        elif kind not in (PROVINCE_KINDS if tier == "province" else COMMUNE_KINDS):
            bad(f"agency_kind {kind!r} is not a {tier}-level agency")
        elif tier == "province" and kind == "department" and not row["department"]:
            bad("a provincial procedure decided by a department names the department")
        try:
            amount = Decimal(row["legal_amount"].replace(",", "."))
            if not amount.is_finite() or amount <= 0:
                raise InvalidOperation
        except InvalidOperation:
            bad("legal_amount must be a positive number")
            amount = Decimal(0)
        if row["legal_unit"] not in LEGAL_UNITS:
            bad(f"legal_unit must be one of {', '.join(LEGAL_UNITS)}")
        elif row["legal_unit"] == "calendar_days" and amount != amount.to_integral_value():
            bad("calendar days are whole days")
        elif row["legal_unit"] == "whole_working_days" and amount != amount.to_integral_value():
            bad("whole working days are a whole number, 1 or more")
        cutoff = None
        if row["cutoff"]:
            try:
                cutoff = dt.time.fromisoformat(row["cutoff"])
            except ValueError:
                bad("cutoff must be a time written HH:MM")
        fee_text = row["fee_vnd"].replace(".", "").replace(",", "") or "0"
        if not fee_text.isdigit():
            bad("fee_vnd must be a whole number of đồng")
            fee_text = "0"
        if row["online_level"] not in ONLINE_LEVELS:
            bad(f"online_level must be one of {', '.join(ONLINE_LEVELS)}")
        if len(problems) > before:
            continue
        parsed.append(
            ProcedureRow(
                line=line,
                national_code=row["national_code"],
                name=row["name"],
                field=row["field"],
                tier=tier,
                agency_kind=kind,
                department=row["department"],
                legal_amount=amount,
                legal_unit=row["legal_unit"],
                cutoff=cutoff,
                fee_vnd=int(fee_text),
                fee_note=row["fee_note"],
                online_level=row["online_level"],
                template=row["template"],
                documents=parse_documents(row["documents"]),
                decision=row["decision"],
                legal_source=row["legal_source"],
                result_name=row["result_name"],
            )
        )
    if not parsed and not problems:
        problems.append("the file has no procedures")
    if problems:
        raise SheetError(problems)
    return parsed
