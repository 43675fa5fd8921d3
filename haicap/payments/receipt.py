"""The printed receipt of a fee paid online: the amount in figures, the payer, the dossier code
and the gateway's transaction id, laid out with the dossiers' printing helpers.

It confirms the payment haicap recorded; the legal receipt for fees and charges is the fee
collector's own (issued under the tax rules, outside haicap), which this paper does not replace.
"""

from haicap.calendar.workdays import VIETNAM
from haicap.dossiers import pdf
from haicap.payments.models import Payment


def amount_in_figures(amount_vnd: int) -> str:
    """50000 → "50.000 đồng" (Vietnamese groups thousands with dots; money is integer VND)."""
    return f"{amount_vnd:,}".replace(",", ".") + " đồng"


def receipt(payment: Payment) -> pdf.FormDocument:
    """The receipt of a paid payment (the caller makes sure it is paid)."""
    submission = payment.submission
    desk = submission.desk
    unit = desk.unit
    paid = payment.paid_at.astimezone(VIETNAM)
    dossier = submission.dossier
    return pdf.FormDocument(
        issuer_parent=f"Ủy ban nhân dân {unit.full_name}".upper(),
        issuer=desk.name.replace(f" {unit.full_name}", "").upper(),
        form_number="",
        title="BIÊN NHẬN THANH TOÁN PHÍ, LỆ PHÍ TRỰC TUYẾN",
        reference=f"Mã hồ sơ: {dossier.code}" if dossier else f"Mã nộp: {submission.reference}",
        facts=[
            ("Người nộp", payment.payer_name),
            ("Thủ tục", submission.procedure.name),
            ("Mã hồ sơ", dossier.code if dossier else submission.reference),
            ("Số tiền", amount_in_figures(payment.amount_vnd)),
            ("Mã thanh toán", payment.reference),
            ("Mã giao dịch của cổng thanh toán", payment.transaction_id or ""),
            ("Thời điểm thanh toán", f"{paid:%H:%M} ngày {paid:%d/%m/%Y}"),
        ],
        notes=[
            "Thanh toán qua nền tảng thanh toán trực tuyến (Điều 24 Nghị định 118/2025/NĐ-CP).",
        ],
        place_and_date=f"{unit.name}, ngày {paid:%d} tháng {paid:%m} năm {paid:%Y}",
    )
