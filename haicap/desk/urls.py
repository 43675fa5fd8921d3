from django.urls import include, path

from haicap.accounts import views as accounts
from haicap.core import converters  # noqa: F401  (registers <id:…>)
from haicap.desk import desk_record_views as desk_records
from haicap.desk import dossier_views as dossiers
from haicap.desk import intake_views as intake
from haicap.desk import log_book_views as log_book
from haicap.desk import notice_views
from haicap.desk import views as desk
from haicap.exchange import views as exchange
from haicap.kpi import views as kpi
from haicap.payments import views as payments
from haicap.units import views as registry

app_name = "desk"

urlpatterns = [
    path("", desk.home, name="home"),
    path("login/", accounts.SignInView.as_view(), name="login"),
    path("logout/", accounts.SignOutView.as_view(), name="logout"),
    path("account/", accounts.account, name="account"),
    path("account/tokens/", accounts.issue_token, name="issue_token"),
    path("account/tokens/<int:token_id>/revoke/", accounts.revoke_token, name="revoke_token"),
    path("registry/units/", registry.unit_list, name="unit_list"),
    path("registry/units/<int:unit_id>/", registry.unit_detail, name="unit_detail"),
    path("registry/agencies/", registry.agency_list, name="agency_list"),
    path("ho-so/", dossiers.dossier_list, name="dossier_list"),
    path("ho-so/<str:code>/", dossiers.dossier_detail, name="dossier"),
    path("ho-so/<str:code>/xu-ly/", dossiers.dossier_act, name="dossier_act"),
    path("ho-so/<str:code>/giay-to/", dossiers.dossier_upload, name="dossier_upload"),
    path("ho-so/<str:code>/so-hoa/", dossiers.dossier_digitise, name="dossier_digitise"),
    path(
        "ho-so/<str:code>/so-hoa/dung-lai/",
        dossiers.dossier_reuse_paper,
        name="dossier_reuse_paper",
    ),
    path("ho-so/<str:code>/mau/<str:form>.pdf", dossiers.dossier_form, name="dossier_form"),
    path("ho-so/<str:code>/in-lai-giay-hen/", dossiers.reprint_slip, name="reprint_slip"),
    path("ho-so/<str:code>/ket-qua-dien-tu.pdf", dossiers.signed_result, name="signed_result"),
    path("tiep-nhan/", intake.intake, name="intake"),
    path("tiep-nhan/thu-tuc/", intake.procedure_matches, name="procedure_matches"),
    path("tiep-nhan/giay-to/", intake.procedure_papers, name="procedure_papers"),
    path("tiep-nhan/kiem-tra/", intake.check_applicant, name="check_applicant"),
    path("tiep-nhan/phieu/", desk_records.record_list, name="desk_records"),
    path("tiep-nhan/phieu/moi/<str:kind_slug>/", desk_records.new_record, name="desk_record_new"),
    path("tiep-nhan/phieu/<id:record_id>/", desk_records.record_detail, name="desk_record"),
    path("tiep-nhan/phieu/<id:record_id>/in.pdf", desk_records.record_pdf, name="desk_record_pdf"),
    path("so-theo-doi/", log_book.log_book, name="log_book"),
    path("phe-duyet/", desk.approvals, name="approvals"),
    path("phe-duyet/<str:code>/", desk.approval_decide, name="approval_decide"),
    path("nop-truc-tuyen/", desk.submissions, name="submissions"),
    path("chi-so/", kpi.dashboard, name="indicators"),
    path("bao-cao/", kpi.report, name="report"),
    path("lien-thong/", exchange.outbox, name="outbox"),
    path("lien-thong/gui-lai/", exchange.retry, name="outbox_retry"),
    path("lien-thong/doi-soat/", exchange.run_reconciliation, name="reconcile"),
    path("lien-thong/ho-so-giu-lai/", exchange.settle_repeat, name="settle_repeat"),
    path("nop-truc-tuyen/<id:submission_id>/", desk.submission_decide, name="submission_decide"),
    path(
        "nop-truc-tuyen/<id:submission_id>/giay-to/<id:document_id>/",
        desk.submission_document,
        name="submission_document",
    ),
    path("thanh-toan/doi-soat/", payments.reconciliation, name="payment_reconciliation"),
    path("thanh-toan/doi-soat/chay/", payments.run_reconciliation, name="payment_reconcile"),
    path("thanh-toan/<str:reference>/bien-nhan.pdf", payments.receipt_pdf, name="payment_receipt"),
    path("thong-bao/", notice_views.notices, name="notices"),
    path("thong-bao/da-doc/", notice_views.mark_read, name="notices_read"),
    path("giam-sat/", include("haicap.oversight.urls")),
    path("nhan-su/", include("haicap.staffing.urls")),
    path("tai-san/", include("haicap.assets.urls")),
    path("von-dau-tu/", include("haicap.budget.urls")),
    path("phan-anh/", include("haicap.feedback.urls")),
    path("bao-cao-dinh-ky/", include("haicap.reports.urls")),
]
