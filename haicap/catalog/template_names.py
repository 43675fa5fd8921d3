"""The step and action names of the shipped process templates, in the reader's language.

The Vietnamese names in ``haicap/workflow/templates/*.json`` stay the source of truth: they are
what administrators import and edit, and what the legal forms print. Like every other msgid of
the project, the catalogue's are English, so each shipped Vietnamese name is mapped here to an
English msgid whose Vietnamese translation is that very name (a test keeps the JSON, this list
and the catalogue in step). The page then shows ``translated_name(name)`` — a lookup by the
name, not by the step's code, so a name an administrator has changed or added has no entry and
is shown as written rather than with a translation of what it used to say.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SHIPPED_NAMES: dict[str, Promise] = {
    # steps
    "Đã tiếp nhận, chờ chuyển xử lý": _("Received, waiting to be forwarded"),
    "Đang thẩm định, xử lý": _("Being examined and processed"),
    "Chờ lãnh đạo phê duyệt": _("Awaiting the leader's approval"),
    "Chờ bổ sung hồ sơ": _("Awaiting additional papers"),
    "Chờ thực hiện nghĩa vụ tài chính": _("Awaiting payment of fees and charges"),
    "Đã có kết quả, chờ trả": _("Result ready, waiting to be handed over"),
    "Đã trả kết quả": _("Result handed over"),
    "Từ chối giải quyết": _("Refused to resolve"),
    "Dừng xử lý theo đề nghị": _("Stopped at the applicant's request"),
    # actions
    "Chuyển xử lý": _("Forward for processing"),
    "Chuyển cơ quan có thẩm quyền (liên thông)": _("Transfer to the competent agency (linked)"),
    "Dừng xử lý theo đề nghị của người nộp": _("Stop at the applicant's request"),
    "Phân công xử lý": _("Assign for processing"),
    "Yêu cầu bổ sung hồ sơ": _("Ask for additional papers"),
    "Chờ nghĩa vụ tài chính": _("Wait for fees and charges"),
    "Chuyển cơ quan, cấp khác (liên thông)": _("Transfer to another agency or tier (linked)"),
    "Trình lãnh đạo": _("Submit to the leader"),
    "Xin lỗi và hẹn lại ngày trả": _("Apologise and set a new appointment"),
    "Từ chối giải quyết (nêu lý do)": _("Refuse (with reasons)"),
    "Đã nhận đủ hồ sơ bổ sung": _("Additional papers received in full"),
    "Đã hoàn thành nghĩa vụ tài chính": _("Fees and charges paid"),
    "Phê duyệt, ký kết quả": _("Approve and sign the result"),
    "Trả lại để xử lý lại": _("Send back for rework"),
    "Trả kết quả cho người nộp": _("Hand the result to the applicant"),
}


def translated_name(name: str) -> str:
    """A step's or action's name in the active language; a name not shipped is shown as is."""
    shipped = SHIPPED_NAMES.get(name)
    return str(shipped) if shipped is not None else name
