"""A working group's conclusion notice ("Thông báo kết luận") as Word and as PDF (no Django).

Laid out as Decree 30/2020/NĐ-CP sets out an administrative document, by the one layout every
such document shares (``haicap.dossiers.administrative_document``): the issuing body and the
number on the left, the national motto on the right, the place and date under it, the title and
its summary, the body, then "Nơi nhận" on the left and the signature on the right. Both files
take their body from ``body_lines``, so they say the same thing.

It takes plain values (``Notice``), not the oversight app's records: the caller reads those.
"""

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from haicap.dossiers import administrative_document as layout
from haicap.dossiers.administrative_document import (
    AdministrativeDocument,
    Signature,
    ended,
    items,
    place_and_date,
    recipient_lines,
)
from haicap.dossiers.pdf import Line

CLOSING = "Thông báo để các cơ quan, đơn vị, địa phương biết, thực hiện./."
PARTICIPANTS_HEADING = "I. THÀNH PHẦN"
FINDINGS_HEADING = "II. TÌNH HÌNH, KHÓ KHĂN, VƯỚNG MẮC TẠI CÁC XÃ"
DIRECTIVES_HEADING = "III. KẾT LUẬN VÀ GIAO NHIỆM VỤ"


# The last lines of the body printed on the page of "Nơi nhận" and the signature: the last
# task's last line and the closing sentence (Decree 30/2020/NĐ-CP, App. I: the signature does
# not stand alone on a page).
KEPT_WITH_SIGNATURE = 2
SUBTASK_INDENT_MM = 10
# No gender is stored for an account, so participants are named "Đồng chí", the form the
# provincial People's Committee's notices use for officials whatever their gender.
HONORIFIC = "Đồng chí"


@dataclass(frozen=True)
class Issuing:
    """Who issues the notice, whose conclusion it states, who signs it and the symbol of its
    number: the title, the signature and the number always agree."""

    issuer_parent: str
    issuer: str
    issuer_parent_bold: bool
    symbol: str  # "TB-UBND", the number's symbol after the ordinal
    signer_capacity: str  # "KT. CHỦ TỊCH"
    signer_title: str  # "PHÓ CHỦ TỊCH"
    speaker: str  # whose conclusion: "Phó Chủ tịch Ủy ban nhân dân tỉnh"
    reports_to_chairman: bool  # "- Chủ tịch UBND tỉnh (để b/c);" heads "Nơi nhận"


def is_vice_chairman(title: str) -> bool:
    """Whether a leader's office (free text: "Phó Chủ tịch UBND tỉnh") is a vice chairman's."""
    return "phó chủ tịch" in unicodedata.normalize("NFC", title).casefold()


def issuing(province: str, group_number: str, leader_title: str) -> Issuing:
    """The notice's issuer for a group led by someone holding ``leader_title``.

    A working group led by a Vice Chairman concludes through the provincial People's Committee:
    the notice is the PPC's ("Thông báo kết luận của Phó Chủ tịch UBND tỉnh ... tại buổi làm
    việc ..."), numbered in the PPC's series with the symbol TB-UBND and signed "KT. CHỦ TỊCH /
    PHÓ CHỦ TỊCH" (Decree 30/2020/NĐ-CP, Art. 13 and App. III for "KT.", App. VI for the
    symbol); the Chairman, on whose behalf the Vice Chairman signs, gets it for information
    (để b/c). A group led by anyone else issues in its own name, "TM. TỔ CÔNG TÁC / TỔ
    TRƯỞNG", and then the number is the group's own, TB-TCT.
    """
    if is_vice_chairman(leader_title):
        return Issuing(
            issuer_parent="Ủy ban nhân dân",
            issuer=province,
            issuer_parent_bold=True,
            symbol="TB-UBND",
            signer_capacity="KT. CHỦ TỊCH",
            signer_title="PHÓ CHỦ TỊCH",
            speaker="Phó Chủ tịch Ủy ban nhân dân tỉnh",
            reports_to_chairman=True,
        )
    group = f"Tổ công tác số {group_number}"
    return Issuing(
        issuer_parent=f"Ủy ban nhân dân {province}",
        issuer=group,
        issuer_parent_bold=False,
        symbol="TB-TCT",
        signer_capacity="TM. TỔ CÔNG TÁC",
        signer_title="TỔ TRƯỞNG",
        speaker=group,
        reports_to_chairman=False,
    )


def numbered(number: str, symbol: str) -> str:
    """The notice's number with its symbol: "95" and "95/TB-UBND" give "95/TB-UBND".

    Decree 30/2020/NĐ-CP, App. I, II.4: the ordinal in Arabic figures, then the symbol of the
    document's kind and of the issuing body. ``ValueError`` when the ordinal is not a number
    or the number carries another issuer's symbol.
    """
    ordinal, slash, given = number.strip().partition("/")
    ordinal = ordinal.strip()
    if not ordinal.isdigit() or not ordinal.isascii():
        raise ValueError(f"the number must begin with its ordinal in figures, as in 95/{symbol}")
    if slash and given.strip().upper() != symbol:
        raise ValueError(f"the number's symbol must be {symbol}, as in {ordinal}/{symbol}")
    return f"{ordinal}/{symbol}"


@dataclass(frozen=True)
class Target:
    """A directive's measurable target, as the notice states it in words."""

    measure: str  # "Tỷ lệ tiếp nhận trực tuyến"
    percent: bool  # a share (printed "51 %") rather than a count
    where: str  # "xã Đô Lương", "" for the whole province
    field: str  # "Đất đai", "" for every field
    comparison: str  # ">=", "<=" or "="
    threshold: Decimal
    start: dt.date
    end: dt.date


SIGNS = {">=": "≥", "<=": "≤", "=": "="}
QUARTERS = ("I", "II", "III", "IV")


def _figure(value: Decimal) -> str:
    """51 → "51", 40.50 → "40,5": the decimal comma Vietnamese documents write."""
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def period_words(start: dt.date, end: dt.date) -> str:
    """ "trong quý IV/2026" for a calendar quarter, "từ ngày 01/10/2026 đến ngày 15/11/2026"
    otherwise."""
    quarter = (start.month - 1) // 3
    ends = dt.date(start.year + (quarter == 3), (quarter + 1) % 4 * 3 + 1, 1) - dt.timedelta(1)
    if start.day == 1 and start.month == quarter * 3 + 1 and end == ends:
        return f"trong quý {QUARTERS[quarter]}/{start.year}"
    return f"từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"


def target_words(target: Target) -> str:
    """ "Chỉ tiêu: tỷ lệ tiếp nhận trực tuyến tại xã Đô Lương ≥ 51 % trong quý IV/2026"."""
    what = target.measure[:1].lower() + target.measure[1:]
    if not target.percent:
        what = f"số {what}"
    where = f"tại {target.where}" if target.where else "trên toàn tỉnh"
    field = f", lĩnh vực {target.field}" if target.field else ""
    figure = _figure(target.threshold) + (" %" if target.percent else "")
    sign = SIGNS[target.comparison]
    period = period_words(target.start, target.end)
    return f"Chỉ tiêu: {what} {where}{field} {sign} {figure} {period}"


@dataclass(frozen=True)
class CommuneFindings:
    """What the group found in one commune it visited."""

    commune: str  # "Xã Đô Lương"
    findings: Sequence[str]


@dataclass(frozen=True)
class DirectiveLine:
    """One task of the conclusion, as the notice prints it."""

    task: str
    lead: str  # the agency that leads it
    deadline: dt.date
    expected_result: str
    supporting: Sequence[str] = ()  # the agencies that support it
    target: Target | None = None
    subtasks: Sequence["DirectiveLine"] = ()  # printed under it, numbered "1.1.", set in


@dataclass(frozen=True)
class Notice:
    """What the conclusion notice says, as plain values."""

    issuer_parent: str  # "Ủy ban nhân dân tỉnh Nghệ An" (printed in capitals)
    issuer: str  # "Tổ công tác số 4" (printed in capitals)
    number: str  # "12/TB-TCT", printed "Số: 12/TB-TCT"
    place: str  # "Nghệ An"
    date: dt.date
    summary: str  # "Kết luận của Tổ công tác số 4 ... tại các xã ..."
    participants: Sequence[str]
    findings: Sequence[CommuneFindings]
    directives: Sequence[DirectiveLine]
    recipients: Sequence[str]  # without the archive line, which ``archive`` makes
    signer_capacity: str  # "TM. TỔ CÔNG TÁC"
    signer_title: str  # "TỔ TRƯỞNG"
    signer_name: str
    title: str = "THÔNG BÁO"
    archive: str = "VT"  # "- Lưu: VT." (the clerical office keeps the original)
    closing: str = CLOSING
    conclusions: Sequence[str] = ()  # the group's assessment, a paragraph each, before the tasks
    issuer_parent_bold: bool = False  # the issuer has no parent body: both lines in bold


def body_lines(notice: Notice) -> list[Line]:
    """The notice's body: who took part, what was found commune by commune, the group's
    conclusions and the directives."""
    lines = [Line(PARTICIPANTS_HEADING, bold=True)]
    lines += [Line(text) for text in items(notice.participants)]
    lines.append(Line(FINDINGS_HEADING, bold=True))
    for number, commune in enumerate(notice.findings, start=1):
        lines.append(Line(f"{number}. {commune.commune}", bold=True))
        lines += [Line(text) for text in items(commune.findings)]
    lines.append(Line(DIRECTIVES_HEADING, bold=True))
    lines += [Line(paragraph) for paragraph in notice.conclusions]
    for number, directive in enumerate(notice.directives, start=1):
        lines += _directive_lines(f"{number}.", directive, 0)
        for sub, subtask in enumerate(directive.subtasks, start=1):
            lines += _directive_lines(f"{number}.{sub}.", subtask, SUBTASK_INDENT_MM)
    lines.append(Line(notice.closing))
    return lines


def _directive_lines(number: str, directive: DirectiveLine, indent: float) -> list[Line]:
    texts = [ended(f"{number} {directive.task}", "."), f"- Cơ quan chủ trì: {directive.lead}"]
    if directive.supporting:
        texts.append(f"- Cơ quan phối hợp: {', '.join(directive.supporting)}")
    texts.append(f"- Thời hạn hoàn thành: trước ngày {directive.deadline:%d/%m/%Y}")
    if directive.target:
        texts.append(f"- {target_words(directive.target)}")
    if directive.expected_result:
        texts.append(f"- Kết quả cần đạt: {directive.expected_result}")
    texts = [texts[0]] + [ended(t, ";") for t in texts[1:-1]] + [ended(texts[-1], ".")]
    return [Line(text, indent_mm=indent) for text in texts]


def document_of(notice: Notice) -> AdministrativeDocument:
    """The notice as the administrative document both files print."""
    role = f"{notice.signer_capacity}\n{notice.signer_title}"
    return AdministrativeDocument(
        issuer_parent=notice.issuer_parent,
        issuer=notice.issuer,
        number=notice.number,
        place_and_date=place_and_date(notice.place, notice.date),
        title=notice.title,
        summary=notice.summary,
        body=body_lines(notice),
        signatures=[Signature(role, notice.signer_name)],
        recipients=recipient_lines(notice.recipients, notice.archive),
        issuer_parent_bold=notice.issuer_parent_bold,
        kept_with_signature=KEPT_WITH_SIGNATURE,
    )


def to_pdf(notice: Notice) -> bytes:
    """The notice as PDF, in the decree's layout."""
    return layout.to_pdf(document_of(notice))


def to_docx(notice: Notice) -> bytes:
    """The notice as a Word file: A4, the decree's margins, Times New Roman throughout."""
    return layout.to_docx(document_of(notice))
