"""The petition desk's pages for the language check (``tests/test_translations.py``): a petition
named by its former commune, with a photo, taken, given a step deadline, answered with a file,
reopened by its sender and so open again; read by the commune's leader, who may do everything
on it; the queue and the filing form read by the commune's desk; an answer refused."""

from haicap.core import clock
from haicap.feedback.models import Answer, AnswerAttachment, Category, Petition, PetitionEvent
from haicap.feedback.services import filing, handling
from tests.feedback.desk_helpers import png, upload
from tests.feedback.world import at, file, former, people
from tests.portal.helpers import PDF

LEADER = "lanhdao.doluong"
DESK = "tiepnhan.doluong"
QUEUE = "/desk/phan-anh/"

# The petitions' own text: data, the same in both languages.
RECORDS = (
    (Category, ("name",)),
    (Petition, ("code", "text", "sender_name", "place", "village")),
    (PetitionEvent, ("note",)),
    (Answer, ("text", "public_text")),
    (AnswerAttachment, ("name",)),
)

NOT_PAGES = {
    "desk:feedback:assign": "POST only (its refusal is the petition's page, rendered below)",
    "desk:feedback:start": "POST only (its refusal is the petition's page, rendered below)",
    "desk:feedback:step_deadline": "POST only (its refusal is the petition's page)",
    "desk:feedback:transfer": "POST only (its refusal is the petition's page)",
    "desk:feedback:photo": "a photo",
    "desk:feedback:attachment": "a file",
}


def world() -> dict:
    p = people()
    petition = file(
        commune=None,
        named=former("Nam Sơn"),
        photos_sent=[filing.Photo("rac.png", png())],
        place="Đường liên xóm 3",
        village="Xóm 3",
    ).petition
    code = petition.code
    with clock.fixed_at(at(3, 3, 9)):
        handling.assign(p.do_luong_leader, code, p.do_luong)
        handling.start(p.do_luong, code)
        handling.set_step_deadline(p.do_luong, code, at(3, 6, 16))
        handling.answer(
            p.do_luong,
            code,
            "Xã đã thu gom rác tại xóm 3.",
            attachments=[upload("bien-ban.pdf", PDF)],
        )
    with clock.fixed_at(at(3, 4, 9)):
        handling.reopen(code, "Rác vẫn còn nguyên chưa ai đến dọn.")
    file(at(3, 2, 10))  # another, waiting for someone to take it
    petition.refresh_from_db()
    return {"code": code, "version": petition.version}


def pages(made: dict) -> dict[str, tuple]:
    detail = f"{QUEUE}{made['code']}/"
    return {
        "desk:feedback:queue": (DESK, "get", QUEUE, {}),
        "desk:feedback:file": (DESK, "get", f"{QUEUE}moi/", {}),
        "desk:feedback:detail": (LEADER, "get", detail, {}),
        # refused: an empty answer, with its error on the petition's page
        "desk:feedback:answer": (
            LEADER,
            "post",
            detail + "tra-loi/",
            {"version": str(made["version"]), "text": ""},
        ),
    }
