"""The demo province's petitions and ratings.

Fifteen petitions in Đô Lương, Văn Hiến and Bạch Hà, filed over the last months and handled as
officers would, through the services: several name the commune the sender has always known
(Nam Sơn, Bắc Sơn, Đà Sơn, merged into xã Đô Lương on 1 July 2025) and are routed there; some
are answered on time and published, one late, one reopened by its sender, one transferred to
the Department of Construction, some still open, one past its legal deadline. Then the
applicants of part of the dossiers returned in the last five months rate the service, most of
them satisfied, fewer in some communes than in others.

ILLUSTRATIVE: the senders, places and words are invented (the phone numbers are in the range
Vietnam keeps for fiction, 0900 000 xxx).
"""

import datetime as dt
import hashlib
import io
from dataclasses import dataclass

from django.db import transaction
from PIL import Image

from haicap.accounts.models import User
from haicap.calendar.selectors import calendar_for
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.dossiers.models import Dossier, DossierEvent
from haicap.feedback.models import Category, Petition, Rating
from haicap.feedback.services import filing, handling, ratings
from haicap.units.models import AdministrativeUnit, Agency

DO_LUONG, VAN_HIEN, BACH_HA = "17662", "17677", "17707"
CONSTRUCTION = "000.08.00.H40"
RATED_SHARE = 25  # of every 100 dossiers returned in the window, this many are rated
RATING_WINDOW = dt.timedelta(days=150)  # working group no. 4's visit was some 70 days ago
MOST_RATINGS = 2000


@dataclass(frozen=True)
class Story:
    key: str
    category: str
    commune: str | None  # a current commune's code, or None when a former one is named
    former: str  # the name of a former commune of Đô Lương district the sender named
    text: str
    place: str
    sender: str
    days_ago: int  # working days before today it was filed
    ending: str  # what became of it
    handler: str = ""


STORIES = (
    Story(
        "rac-nam-son",
        "moi-truong",
        None,
        "Nam Sơn",
        "Điểm tập kết rác ở đầu xóm 5 đã ba tuần không được thu gom, mùi hôi ảnh hưởng đến "
        "các hộ dân và học sinh đi qua.",
        "Đầu xóm 5, đường liên xóm",
        "Nguyễn Thị Hường",
        14,
        "answered_accepted",
        "chuyenvien.doluong",
    ),
    Story(
        "den-bac-son",
        "ha-tang",
        None,
        "Bắc Sơn",
        "Đèn chiếu sáng trên trục đường xóm 2 hỏng từ đầu tháng, buổi tối rất tối, đã có người "
        "ngã xe.",
        "Trục đường xóm 2",
        "Trần Văn Bắc",
        9,
        "reopened",
        "chuyenvien.doluong",
    ),
    Story(
        "lan-chiem",
        "dat-dai",
        DO_LUONG,
        "",
        "Một hộ dân xây tường rào lấn ra hành lang đường giao thông nông thôn khoảng 1,5 m.",
        "Đường trục xã, gần cầu Tràng",
        "Lê Văn Đức",
        16,
        "in_progress_overdue",
        "chuyenvien.doluong",
    ),
    Story(
        "khai-sinh-da-son",
        "thu-tuc-hanh-chinh",
        None,
        "Đà Sơn",
        "Hồ sơ đăng ký khai sinh cho con tôi bị yêu cầu bổ sung hai lần, mỗi lần một giấy "
        "khác nhau.",
        "",
        "Phạm Thị Sơn",
        4,
        "assigned",
        "chuyenvien.doluong",
    ),
    Story(
        "ke-song",
        "xay-dung",
        DO_LUONG,
        "",
        "Công trình kè bờ sông Lam do tỉnh làm chủ đầu tư thi công làm sạt lở một đoạn đường "
        "xuống bến đò.",
        "Bến đò xóm 7",
        "Hoàng Văn Lam",
        5,
        "transferred",
        "lanhdao.doluong",
    ),
    Story(
        "giay-to-quay",
        "khac",
        DO_LUONG,
        "",
        "Đề nghị bố trí thêm ghế chờ và nước uống tại Trung tâm Phục vụ hành chính công xã vào "
        "các buổi sáng đông người.",
        "Trung tâm Phục vụ hành chính công xã",
        "Đặng Thị Mai",
        1,
        "received_at_desk",
    ),
    Story(
        "rac-cu",
        "moi-truong",
        DO_LUONG,
        "",
        "Rác thải sinh hoạt bị đổ trộm xuống mương thoát nước cạnh chợ Đô Lương.",
        "Mương cạnh chợ Đô Lương",
        "Võ Văn Chợ",
        25,
        "answered_accepted",
        "chuyenvien.doluong",
    ),
    Story(
        "karaoke",
        "an-ninh-trat-tu",
        VAN_HIEN,
        "",
        "Quán karaoke ở xóm 3 hát đến gần nửa đêm, nhiều lần nhắc nhở không chấm dứt.",
        "Xóm 3",
        "Bùi Văn Hiển",
        22,
        "answered_late",
        "tiepnhan.vanhien",
    ),
    Story(
        "nuoc-thai",
        "moi-truong",
        VAN_HIEN,
        "",
        "Trang trại lợn xả nước thải chưa qua xử lý ra kênh tưới.",
        "Cánh đồng xóm 8",
        "Nguyễn Văn Kênh",
        2,
        "received",
    ),
    Story(
        "duong-van-hien",
        "ha-tang",
        VAN_HIEN,
        "",
        "Mặt đường bê tông liên xóm 4 – xóm 6 bị nứt vỡ nhiều đoạn sau mưa lũ.",
        "Đường liên xóm 4 – xóm 6",
        "Trần Thị Vân",
        12,
        "answered_on_time",
        "tiepnhan.vanhien",
    ),
    # Before working group no. 4's visit (some seventy days ago), so its briefing pack has them.
    Story(
        "cho-van-hien",
        "moi-truong",
        VAN_HIEN,
        "",
        "Khu vực chợ xã sau phiên chợ rác thải để qua đêm, gây mất vệ sinh.",
        "Chợ xã Văn Hiến",
        "Phan Thị Chợ",
        75,
        "answered_late",
        "tiepnhan.vanhien",
    ),
    Story(
        "ho-so-van-hien",
        "thu-tuc-hanh-chinh",
        VAN_HIEN,
        "",
        "Tôi nộp hồ sơ chứng thực nhưng phải chờ rất lâu vì chỉ có một cán bộ tiếp nhận.",
        "Trung tâm Phục vụ hành chính công xã",
        "Ngô Văn Chờ",
        68,
        "answered_on_time",
        "tiepnhan.vanhien",
    ),
    Story(
        "muong-do-luong",
        "ha-tang",
        DO_LUONG,
        "",
        "Mương thoát nước xóm 4 bị bồi lấp, mưa lớn nước tràn vào đường.",
        "Xóm 4",
        "Hồ Văn Mương",
        80,
        "answered_accepted",
        "chuyenvien.doluong",
    ),
    Story(
        "den-bach-ha",
        "ha-tang",
        BACH_HA,
        "",
        "Cột điện nghiêng sát nhà dân ở xóm 3 chưa được xử lý.",
        "Xóm 3",
        "Lê Văn Cột",
        72,
        "received",
    ),
    Story(
        "cong-bach-ha",
        "ha-tang",
        BACH_HA,
        "",
        "Cống thoát nước qua đường ở xóm 1 bị tắc, mưa là ngập vào nhà dân.",
        "Xóm 1",
        "Lê Thị Hà",
        13,
        "received",
    ),
)

ANSWERS = {
    "cho-van-hien": "UBND xã đã giao Ban quản lý chợ thu gom rác ngay sau mỗi phiên chợ.",
    "ho-so-van-hien": "Trung tâm đã bố trí thêm một cán bộ tiếp nhận vào các buổi sáng thứ Hai "
    "và thứ Sáu.",
    "muong-do-luong": "Xã đã nạo vét 300 m mương thoát nước xóm 4.",
    "rac-nam-son": "UBND xã đã làm việc với đơn vị thu gom; từ ngày tiếp nhận, rác tại điểm tập "
    "kết xóm 5 được thu gom hằng ngày. Xã giao Phòng Kinh tế kiểm tra định kỳ.",
    "den-bac-son": "UBND xã đã giao đơn vị quản lý điện chiếu sáng thay 6 bóng đèn hỏng trên trục "
    "đường xóm 2.",
    "rac-cu": "Xã đã tổ chức nạo vét mương, lập biên bản một trường hợp đổ rác trộm và đặt biển "
    "cấm tại khu vực chợ.",
    "karaoke": "Công an xã đã kiểm tra, lập biên bản và yêu cầu cơ sở karaoke chấm dứt hoạt động "
    "sau 22 giờ theo quy định.",
    "duong-van-hien": "UBND xã đã đưa đoạn đường vào kế hoạch sửa chữa quý này; trước mắt đã vá "
    "các ổ gà nguy hiểm.",
}
REOPEN_REASON = "Mới thay được 2 bóng, đoạn gần nhà văn hóa xóm vẫn tối."
TRANSFER_REASON = "Công trình kè do tỉnh làm chủ đầu tư, thuộc thẩm quyền quản lý của Sở Xây dựng."


@dataclass(frozen=True)
class LoadedFeedback:
    petitions: int
    rerouted: int  # naming a former commune
    answered: int
    overdue: int
    ratings: int


def _weekday_moment(calendar, days_ago: int, hour: int) -> dt.datetime:
    day = clock.now().astimezone(VIETNAM).date()
    for _ in range(days_ago):
        day = calendar.previous_working_day(day)
    return dt.datetime.combine(day, dt.time(hour, 0), VIETNAM)


def _photo() -> bytes:
    """A small photo for the first petition (a plain grey picture standing for one)."""
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (128, 128, 120)).save(out, "JPEG", quality=80)
    return out.getvalue()


def _former(name: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(
        name=name, valid_to__isnull=False, parent__name="Đô Lương"
    )


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _file(story: Story, n: int, calendar) -> Petition:
    received = _weekday_moment(calendar, story.days_ago, 8 + n % 8)
    desk = story.ending == "received_at_desk"
    with clock.fixed_at(received):
        return filing.file_petition(
            category=Category.objects.get(code=story.category),
            text=story.text,
            sender=filing.Sender(name=story.sender, phone=f"0900000{n:03d}"),
            channel=Petition.Channel.DESK if desk else Petition.Channel.WEB,
            place=story.place,
            commune=AdministrativeUnit.objects.get(code=story.commune, valid_to__isnull=True)
            if story.commune
            else None,
            named_unit=_former(story.former) if story.former else None,
            publish_consent=n % 3 != 2,
            photos_sent=(filing.Photo("anh-hien-truong.jpg", _photo()),) if n == 0 else (),
            filed_by=_user("tiepnhan.doluong") if desk else None,
        ).petition


def _handle(story: Story, petition: Petition, calendar) -> None:
    if not story.handler:
        return
    officer = _user(story.handler)
    if officer is None:
        return
    officer.forget_scope()
    start = petition.received_at + dt.timedelta(hours=2)
    with clock.fixed_at(start):
        if story.ending == "transferred":
            handling.transfer(
                officer, petition.code, Agency.objects.get(code=CONSTRUCTION), TRANSFER_REASON
            )
            return
        handling.assign(officer, petition.code, officer)
        if story.ending == "assigned":
            return
        handling.start(officer, petition.code)
    if story.ending == "in_progress_overdue":
        return
    due_day = petition.legal_due_at.astimezone(VIETNAM).date()
    if story.ending == "answered_late":
        answered = dt.datetime.combine(calendar.next_working_day(due_day), dt.time(10), VIETNAM)
    else:
        answered = start + dt.timedelta(days=3)
    with clock.fixed_at(min(answered, clock.now())):
        handling.answer(officer, petition.code, ANSWERS[story.key])
    later = min(answered + dt.timedelta(days=1), clock.now())
    with clock.fixed_at(later):
        if story.ending in ("answered_accepted", "answered_late"):
            handling.accept(petition.code)
            petition.refresh_from_db()
            ratings.rate_petition(petition, _answers(story.ending != "answered_late", "petition"))
        elif story.ending == "reopened":
            handling.reopen(petition.code, REOPEN_REASON)


def _answers(satisfied: bool, subject: str) -> dict[str, str]:
    from haicap.feedback.questions import questions_for

    level = "satisfied" if satisfied else "dissatisfied"
    answers = {q.code: level for q in questions_for(subject)}
    if satisfied:
        answers["conduct"] = "very_satisfied"
    return answers


def _share(code: str) -> int:
    """A stable number 0–99 for a dossier: the demo's ratings are the same on every load."""
    return int(hashlib.sha256(code.encode()).hexdigest()[:4], 16) % 100


def _rate_returned_dossiers() -> int:
    """The applicants of part of the dossiers returned lately rate them, a few hours after they
    got the result: most are satisfied; in Văn Hiến, with its overdue dossiers, fewer."""
    now = clock.now()
    returned = dict(
        DossierEvent.objects.filter(action=ratings.RETURNED, at__gte=now - RATING_WINDOW)
        .order_by("dossier_id", "at")
        .values_list("dossier_id", "at")
    )
    made = 0
    dossiers = Dossier.objects.filter(pk__in=list(returned)).select_related(
        "competent_agency__unit", "procedure__field"
    )
    for dossier in dossiers.order_by("pk").iterator():
        share = _share(dossier.code)
        if share >= RATED_SHARE or made >= MOST_RATINGS:
            continue
        unhappy = 35 if dossier.competent_agency.unit.code == VAN_HIEN else 12
        satisfied = (share * 7) % 100 >= unhappy
        with clock.fixed_at(min(returned[dossier.pk] + dt.timedelta(hours=3), now)):
            ratings.rate_dossier(dossier, _answers(satisfied, "dossier"))
        made += 1
    return made


def load_demo_feedback() -> LoadedFeedback | None:
    """Load the demo's petitions and ratings into a province that has no petition yet."""
    if Petition.objects.exists() or not Category.objects.exists():
        return None
    calendar = calendar_for()
    with transaction.atomic():
        petitions = []
        for n, story in enumerate(STORIES):
            petition = _file(story, n, calendar)
            _handle(story, petition, calendar)
            petitions.append(petition)
        rated = _rate_returned_dossiers()
    now = clock.now()
    found = Petition.objects.filter(pk__in=[p.pk for p in petitions])
    return LoadedFeedback(
        petitions=len(petitions),
        rerouted=found.filter(named_unit__isnull=False).count(),
        answered=found.filter(answered_at__isnull=False).count(),
        overdue=found.filter(
            state__in=["received", "assigned", "in_progress"], legal_due_at__lt=now
        ).count(),
        ratings=rated + Rating.objects.filter(petition__in=found).count(),
    )
