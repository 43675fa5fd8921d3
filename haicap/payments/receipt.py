"""The printed receipt of a fee paid online: its number, the amount in figures and in words, the
payer, the dossier code and the gateway's transaction id, laid out with the dossiers' printing
helpers.

It confirms the payment haicap recorded; the legal receipt for fees and charges is the fee
collector's own (issued under the tax rules, outside haicap), which this paper does not replace.
"""

from haicap.calendar.workdays import VIETNAM
from haicap.core.number_words import amount_in_words
from haicap.dossiers import pdf
from haicap.payments.models import Payment


def amount_in_figures(amount_vnd: int) -> str:
    """50000 → "50.000 đồng" (Vietnamese groups thousands with dots; money is integer VND)."""
    return f"{amount_vnd:,}".replace(",", ".") + " đồng"


def receipt(payment: Payment) -> pdf.FormDocument:
    """The receipt of a paid payment (the caller makes sure it is paid).

    It names the dossier by the code the desk gave it once the filing was accepted; before that
    the only code is the online filing's ("TT-…"), labelled as such.
    """
    submission = payment.submission
    desk = submission.desk
    unit = desk.unit
    paid = payment.paid_at.astimezone(VIETNAM)
    dossier = submission.dossier
    code = (
        ("Mã hồ sơ", dossier.code) if dossier else ("Mã hồ sơ nộp trực tuyến", submission.reference)
    )
    number = (
        f"Số: {payment.receipt_number}/{payment.receipt_year}" if payment.receipt_number else ""
    )
    return pdf.FormDocument(
        issuer_parent=f"Ủy ban nhân dân {unit.full_name}".upper(),
        issuer=desk.name.replace(f" {unit.full_name}", "").upper(),
        form_number="",
        title="BIÊN NHẬN THANH TOÁN PHÍ, LỆ PHÍ TRỰC TUYẾN",
        reference=number,
        facts=[
            ("Người nộp", payment.payer_name),
            ("Thủ tục", submission.procedure.name),
            code,
            ("Số tiền", amount_in_figures(payment.amount_vnd)),
            ("Số tiền bằng chữ", amount_in_words(payment.amount_vnd)),
            ("Mã thanh toán", payment.reference),
            ("Mã giao dịch của cổng thanh toán", payment.transaction_id or ""),
            ("Thời điểm thanh toán", f"{paid:%H:%M} ngày {paid:%d/%m/%Y}"),
        ],
        notes=[
            "Thanh toán qua nền tảng thanh toán trực tuyến (Điều 24 Nghị định 118/2025/NĐ-CP).",
        ],
        place_and_date=f"{unit.name}, ngày {paid:%d} tháng {paid:%m} năm {paid:%Y}",
    )
