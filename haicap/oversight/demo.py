"""The demo province's working group no. 4 and the inspection it held in the six communes formed
from the former Đô Lương district, replayed through the oversight services.

Sourced (the description of a real inspection): the group's composition (led by a Vice Chairman
of the Provincial People's Committee, with the departments of Industry and Trade, Finance, Home
Affairs, Justice, Agriculture and Environment, Ethnic Minorities and Religions, and the PPC
Office), the communes it visited, the difficulties they raised and the directives it issued with
their lead agencies. Illustrative: every date (counted back from when the demo is loaded), the
conclusion's number, which commune raised which difficulty, the sub-tasks, the targets, the
progress updates and which directives are closed.

The two difficulties the figures can confirm go where the loaded figures show them
(``weakest_communes``, read through the measures registry as the briefing pack and the targets
read them): low online intake to the commune with the lowest online rate of the six in the
pack's period, below the province's; overdue land dossiers to the commune with most of them at
the pack's end that still has some today (the demo's queues leave a backlog at xã Văn Hiến).
Without figures to go by (no history loaded) they go to xã Văn Hiến and Bạch Hà.

Every write goes through the services at the moment it happens in the story
(``clock.fixed_at``), so each is checked and audited as a real one would be. Loaded once: a
province that has the group already is left as it is.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from django.db import transaction

from haicap.accounts.models import Membership, User
from haicap.calendar.workdays import VIETNAM
from haicap.catalog.models import Field
from haicap.core import clock
from haicap.core.briefing import Period
from haicap.core.measures import Comparison, measures
from haicap.core.roles import Role
from haicap.core.task_status import Outcome
from haicap.oversight import services
from haicap.oversight.links import dossier_list_link
from haicap.oversight.models import Directive, Finding, Inspection, WorkingGroup
from haicap.oversight.selectors import pack_period
from haicap.oversight.services import DirectiveSpec, FindingSpec, TargetSpec
from haicap.units.models import AdministrativeUnit, Agency

GROUP_NUMBER = "4"
GROUP_NAME = "Tổ công tác số 4 của Ủy ban nhân dân tỉnh Nghệ An"
LEADER = "lanhdao.tinh"  # a Vice Chairman of the Provincial People's Committee
SECRETARY = "chuyenvien.vpubnd"  # the PPC Office's officer in the group's secretariat

PPC_OFFICE = "000.01.00.H40"
SERVICE_CENTER = "000.02.00.H40"
HOME_AFFAIRS = "000.03.00.H40"
FINANCE = "000.04.00.H40"
# The capital demo approved the 2025 plan's transfer in August 2025, long before this
# inspection, and left the medium-term plan's transfer a draft: that one is what is asked for.
FINANCE_DIRECTIVE_TITLE = (
    "Bố trí trụ sở, tài sản công, trang thiết bị; hoàn thành điều chuyển kế hoạch đầu tư công "
    "trung hạn 2021–2025 của huyện Đô Lương cũ từ ngân sách cấp huyện sang ngân sách cấp tỉnh "
    "hoặc cấp xã theo chủ đầu tư"
)
JUSTICE = "000.05.00.H40"
INDUSTRY_TRADE = "000.06.00.H40"
AGRICULTURE_ENVIRONMENT = "000.07.00.H40"
CONSTRUCTION = "000.08.00.H40"
ETHNIC_RELIGIONS = "000.09.00.H40"
MEMBER_AGENCIES = (
    INDUSTRY_TRADE,
    FINANCE,
    HOME_AFFAIRS,
    JUSTICE,
    AGRICULTURE_ENVIRONMENT,
    ETHNIC_RELIGIONS,
    PPC_OFFICE,
)
# The six communes formed from the former Đô Lương district, by their official codes.
DO_LUONG, BACH_NGOC, VAN_HIEN, BACH_HA, THUAN_TRUNG, LUONG_SON = (
    "17662",
    "17623",
    "17677",
    "17707",
    "17689",
    "17641",
)
COMMUNES = (DO_LUONG, BACH_NGOC, VAN_HIEN, BACH_HA, THUAN_TRUNG, LUONG_SON)

ONLINE_RATE, OVERDUE_OPEN = "kpi.online_intake_rate", "kpi.overdue_open"
LAND = "DATDAI"
ONLINE_TARGET_WITHOUT_FIGURES = Decimal(40)  # the province's rate, when there is none to read
# Who reports a commune's progress, first found first (a commune may have no demo account).
REPORTERS = (Role.INTAKE_OFFICER, Role.LEADER, Role.SPECIALIST, Role.AGENCY_ADMIN)

# Days counted back from the day the demo is loaded.
HELD_DAYS_AGO = 70
CONCLUDED_AFTER_VISIT = 3
TERM_BEFORE_VISIT = 60


@dataclass(frozen=True)
class LoadedInspection:
    communes: int
    findings: int
    directives: int  # the conclusion's, sub-tasks aside
    subtasks: int
    targets: int
    updates: int
    closed: int


def commune_people(code: str) -> str:
    """The code of a commune's People's Committee."""
    return f"{code}.01.H40"


@dataclass(frozen=True)
class WeakCommunes:
    """Where the figures put the difficulties the inspection records (communes' codes)."""

    online: str  # the lowest online intake rate of the six, below the province's
    land: str  # the most land dossiers overdue at the pack's end, some still overdue
    province_online: Decimal | None  # the province's online intake rate (%) in the pack's period


def weakest_communes(period: Period, quarter: tuple[dt.date, dt.date]) -> WeakCommunes:
    """Read the six communes' figures as the briefing pack shows them for ``period`` (and the
    land target will for ``quarter``), through the measures registry; communes in ``COMMUNES``
    order break ties."""
    online, overdue = measures.get(ONLINE_RATE), measures.get(OVERDUE_OPEN)
    if online is None or overdue is None:  # the figures' app is not installed
        return WeakCommunes(VAN_HIEN, BACH_HA, None)
    ids = dict(
        AdministrativeUnit.objects.filter(code__in=COMMUNES, valid_to=None).values_list(
            "code", "pk"
        )
    )
    province = online.value(None, None, period.start, period.end)
    rates = {c: online.value(ids[c], None, period.start, period.end) for c in COMMUNES}
    below = [c for c in COMMUNES if None not in (rates[c], province) and rates[c] < province]
    lowest = min(below, key=lambda c: rates[c], default=VAN_HIEN)
    land = {}
    for code in COMMUNES:
        then = overdue.value(ids[code], LAND, period.start, period.end) or 0
        still = overdue.value(ids[code], LAND, *quarter) or 0
        if then and still:
            land[code] = then
    most = max(land, key=lambda c: land[c], default=BACH_HA)  # max keeps the first of a tie
    return WeakCommunes(lowest, most, province)


def _reporter(code: str) -> User | None:
    """A demo officer of the commune to report its progress, if it has one."""
    found = {
        m.role: m.user
        for m in Membership.objects.select_related("user")
        .filter(agency__unit__code=code, agency__unit__valid_to=None, user__is_active=True)
        .order_by("-pk")
    }
    return next((found[r] for r in REPORTERS if r in found), None)


class _Story:
    """The inspection told day by day: each write at its own moment, as the one who made it."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        today = now.astimezone(VIETNAM).date()
        self.today = today
        self.held_on = today - dt.timedelta(days=HELD_DAYS_AGO)
        self.concluded_on = self.held_on + dt.timedelta(days=CONCLUDED_AFTER_VISIT)
        self.quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        next_quarter = (self.quarter_start + dt.timedelta(days=92)).replace(day=1)
        self.quarter_end = next_quarter - dt.timedelta(days=1)
        self.later = max(today + dt.timedelta(days=40), self.quarter_end)
        self.secretary = User.objects.get(username=SECRETARY)
        self.leader = User.objects.get(username=LEADER)
        self.updates = 0
        self.closed = 0
        self.weak = WeakCommunes(VAN_HIEN, BACH_HA, None)
        self.period = Period(start=today.replace(month=1, day=1), end=today)  # set at the visit

    def after_conclusion(self, days: int) -> dt.date:
        return self.concluded_on + dt.timedelta(days=days)

    def days_ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)

    def at(self, day: dt.date, hour: int = 9) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour), VIETNAM)

    def update(
        self, username: str, directive: Directive, day: dt.date, text: str, percent: int | None
    ) -> None:
        with clock.fixed_at(self.at(day, 15)):
            services.post_update(
                User.objects.get(username=username), directive, text=text, percent=percent
            )
        self.updates += 1

    def close(self, directive: Directive, day: dt.date, result: str) -> None:
        with clock.fixed_at(self.at(day, 16)):
            services.close_directive(
                self.secretary, directive, outcome=Outcome.ACHIEVED, result=result
            )
        self.closed += 1


def _agency(code: str) -> Agency:
    return Agency.objects.select_related("unit").get(code=code)


def _commune(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(code=code, valid_to=None)


def _field(code: str) -> Field | None:
    return Field.objects.filter(code=code).first()


def load_demo_inspection(now: dt.datetime | None = None) -> LoadedInspection | None:
    """Working group no. 4, its concluded inspection, findings, directives, sub-tasks, targets
    and updates; None (and nothing written) when the group is there already."""
    if WorkingGroup.objects.filter(number=GROUP_NUMBER, name=GROUP_NAME).exists():
        return None
    story = _Story(now or clock.now())
    with transaction.atomic():
        group = _set_up_group(story)
        inspection = _visit(story, group)
        with clock.fixed_at(story.now):  # the figures as they stand when the demo is loaded
            quarter = (story.quarter_start, story.quarter_end)
            story.period = pack_period(inspection, story.today)
            story.weak = weakest_communes(story.period, quarter)
        findings = _record_findings(story, inspection)
        directives = _conclude(story, inspection, findings)
    subtasks = Directive.objects.filter(inspection=inspection, parent__isnull=False)
    return LoadedInspection(
        communes=inspection.communes.count(),
        findings=len(findings),
        directives=len(directives),
        subtasks=subtasks.count(),
        targets=Directive.objects.filter(inspection=inspection, target__isnull=False).count(),
        updates=story.updates,
        closed=story.closed,
    )


def _set_up_group(story: _Story) -> WorkingGroup:
    term_start = story.held_on - dt.timedelta(days=TERM_BEFORE_VISIT)
    with clock.fixed_at(story.at(term_start)):
        return services.save_group(
            story.secretary,
            services.GroupSpec(
                number=GROUP_NUMBER,
                name=GROUP_NAME,
                term_start=term_start,
                leader=story.leader,
                leader_title="Phó Chủ tịch Ủy ban nhân dân tỉnh",
                member_agencies=[_agency(code) for code in MEMBER_AGENCIES],
                secretariat_agency=_agency(PPC_OFFICE),
                secretariat_people=[story.secretary],
                communes=[_commune(code) for code in COMMUNES],
            ),
        )


def _visit(story: _Story, group: WorkingGroup) -> Inspection:
    with clock.fixed_at(story.at(story.held_on - dt.timedelta(days=10))):
        inspection = services.plan_inspection(
            story.secretary,
            group,
            held_on=story.held_on,
            communes=[_commune(code) for code in COMMUNES],
            participants=[story.leader, story.secretary],
            other_participants=(
                "Đại diện lãnh đạo Sở Công Thương, Sở Tài chính, Sở Nội vụ, Sở Tư pháp, "
                "Sở Nông nghiệp và Môi trường, Sở Dân tộc và Tôn giáo, "
                "Văn phòng Ủy ban nhân dân tỉnh\n"
                "Lãnh đạo Ủy ban nhân dân các xã Đô Lương, Bạch Ngọc, Văn Hiến, Bạch Hà, "
                "Thuần Trung, Lương Sơn"
            ),
            agenda=(
                "Nghe Ủy ban nhân dân các xã báo cáo tình hình vận hành chính quyền địa phương "
                "hai cấp\nKhó khăn, vướng mắc và kiến nghị của các xã\n"
                "Ý kiến của các sở, ngành; kết luận của Trưởng Tổ công tác"
            ),
        )
    with clock.fixed_at(story.at(story.held_on, 8)):
        return services.start_inspection(story.secretary, inspection)


def _shortage(commune: str, field_code: str, field_text: str, text: str, link: str = ""):
    return FindingSpec(
        commune=_commune(commune),
        category=Finding.Category.STAFF_SHORTAGE,
        field=_field(field_code) if field_code else None,
        field_text=field_text,
        text=text,
        agency_to_act=_agency(HOME_AFFAIRS),
        links=[(link, "Hồ sơ quá hạn của xã")] if link else [],
    )


def _finding_specs(weak: WeakCommunes, period: Period) -> dict[str, FindingSpec]:
    """The difficulties the communes raised, by a short name the directives answer them by."""
    it_system = "Hệ thống phần mềm còn lỗi, kết nối chưa đồng bộ"
    return {
        "land": _shortage(
            weak.land,
            LAND,
            "",
            "Thiếu công chức chuyên môn lĩnh vực đất đai; hồ sơ đất đai còn tồn, quá hạn",
            f"/desk/ho-so/?unit={weak.land}&field={LAND}&overdue=yes",
        ),
        "construction": _shortage(
            DO_LUONG, "XAYDUNG", "", "Thiếu công chức chuyên môn lĩnh vực xây dựng"
        ),
        "health": _shortage(THUAN_TRUNG, "YTE", "", "Thiếu công chức chuyên môn lĩnh vực y tế"),
        "education": _shortage(
            LUONG_SON, "GIAODUC", "", "Thiếu công chức chuyên môn lĩnh vực giáo dục"
        ),
        "it_staff": _shortage(
            BACH_NGOC,
            "",
            "công nghệ thông tin",
            "Thiếu công chức chuyên môn công nghệ thông tin",
        ),
        "online": FindingSpec(
            commune=_commune(weak.online),
            category=Finding.Category.LOW_ONLINE_INTAKE,
            text="Tỷ lệ hồ sơ tiếp nhận trực tuyến còn thấp, dưới mức bình quân của tỉnh",
            agency_to_act=_agency(commune_people(weak.online)),
            # the pack's period, which the rate the finding states was read for
            links=[
                (
                    dossier_list_link(
                        {"unit": weak.online, "channel": "online"}, (period.start, period.end)
                    ),
                    "Hồ sơ trực tuyến của xã",
                )
            ],
        ),
        "it_do_luong": FindingSpec(
            commune=_commune(DO_LUONG),
            category=Finding.Category.IT_SYSTEM,
            text=f"{it_system} với Hệ thống thông tin giải quyết thủ tục hành chính tỉnh",
            agency_to_act=_agency(PPC_OFFICE),
        ),
        "it_thuan_trung": FindingSpec(
            commune=_commune(THUAN_TRUNG),
            category=Finding.Category.IT_SYSTEM,
            text=f"{it_system} với Hệ thống thông tin quốc gia về đăng ký doanh nghiệp",
            agency_to_act=_agency(PPC_OFFICE),
        ),
        "offices_bach_ngoc": FindingSpec(
            commune=_commune(BACH_NGOC),
            category=Finding.Category.OFFICES_EQUIPMENT,
            text="Thiếu cơ sở vật chất, trụ sở làm việc chật hẹp",
            agency_to_act=_agency(FINANCE),
        ),
        "equipment_luong_son": FindingSpec(
            commune=_commune(LUONG_SON),
            category=Finding.Category.OFFICES_EQUIPMENT,
            text="Thiếu trang thiết bị cho Trung tâm Phục vụ hành chính công xã",
            agency_to_act=_agency(FINANCE),
        ),
    }


def _record_findings(story: _Story, inspection: Inspection) -> dict[str, Finding]:
    findings = {}
    for hour, (name, spec) in enumerate(_finding_specs(story.weak, story.period).items()):
        moment = story.at(story.held_on, 9) + dt.timedelta(minutes=20 * hour)
        with clock.fixed_at(moment):
            findings[name] = services.record_finding(story.secretary, inspection, spec)
    return findings


def _advise(agency: str, sector: str, day: dt.date, answers: list[Finding]) -> DirectiveSpec:
    return DirectiveSpec(
        title=f"Tham mưu tháo gỡ khó khăn, vướng mắc của các xã thuộc lĩnh vực {sector}",
        lead_agency=_agency(agency),
        deadline=day,
        expected_result=(
            f"Văn bản hướng dẫn, tháo gỡ các vướng mắc lĩnh vực {sector} các xã đã nêu"
        ),
        findings=answers,
    )


def _conclude(story: _Story, inspection: Inspection, found: dict[str, Finding]) -> list:
    with clock.fixed_at(story.at(story.concluded_on, 10)):
        inspection = services.conclude_inspection(
            story.leader,
            inspection,
            number="95/TB-UBND",
            date=story.concluded_on,
            # the PPC's notice, as its Vice Chairman leads the group (``notice.issuing``)
            summary=(
                f"Kết luận của Phó Chủ tịch UBND tỉnh {story.leader.full_name} tại buổi làm việc "
                "với các xã Đô Lương, Bạch Ngọc, Văn Hiến, Bạch Hà, Thuần Trung và Lương Sơn"
            ),
            text=(
                "Các xã đã cơ bản vận hành ổn định bộ máy chính quyền địa phương hai cấp. "
                "Còn thiếu công chức chuyên môn các lĩnh vực đất đai, xây dựng, y tế, giáo dục, "
                "công nghệ thông tin; tỷ lệ tiếp nhận hồ sơ trực tuyến thấp; hệ thống phần mềm "
                "còn lỗi, kết nối chưa đồng bộ; thiếu cơ sở vật chất, trang thiết bị. "
                "Phó Chủ tịch UBND tỉnh giao các sở, ngành và các xã thực hiện các nhiệm vụ sau."
            ),
        )
    later, quarter = story.later, (story.quarter_start, story.quarter_end)
    weak = story.weak
    staffing = [found[n] for n in ("land", "construction", "health", "education", "it_staff")]
    seconded_to = list(dict.fromkeys((weak.land, DO_LUONG)))  # land, and construction
    seconded_names = " và ".join(_commune(c).name for c in seconded_to)
    land_name, online_name = _commune(weak.land).name, _commune(weak.online).name
    # The weakest commune is to reach the province's rate of the pack's period, in whole percent.
    province_rate = weak.province_online or ONLINE_TARGET_WITHOUT_FIGURES
    online_target = province_rate.to_integral_value(rounding=ROUND_CEILING)
    specs = {
        "home_affairs": DirectiveSpec(
            title="Biệt phái, điều động công chức chuyên môn cho các xã còn thiếu",
            lead_agency=_agency(HOME_AFFAIRS),
            supporting_agencies=[_agency(commune_people(c)) for c in seconded_to],
            deadline=later,
            expected_result=(
                "Các xã có đủ công chức chuyên môn lĩnh vực đất đai, xây dựng, y tế, giáo dục, "
                "công nghệ thông tin theo vị trí việc làm"
            ),
            findings=staffing,
            subtasks=[
                DirectiveSpec(
                    title="Rà soát, tổng hợp nhu cầu công chức chuyên môn còn thiếu của các xã",
                    lead_agency=_agency(HOME_AFFAIRS),
                    supporting_agencies=[_agency(commune_people(DO_LUONG))],
                    deadline=story.after_conclusion(15),
                    expected_result="Báo cáo nhu cầu của 6 xã",
                ),
                DirectiveSpec(
                    title=f"Biệt phái công chức địa chính, xây dựng cho xã {seconded_names}",
                    lead_agency=_agency(HOME_AFFAIRS),
                    deadline=later,
                    expected_result="Quyết định biệt phái; công chức đến làm việc tại xã",
                ),
            ],
        ),
        "finance": DirectiveSpec(
            title=FINANCE_DIRECTIVE_TITLE,
            lead_agency=_agency(FINANCE),
            deadline=story.after_conclusion(30),
            expected_result=(
                "Các xã có trụ sở, trang thiết bị làm việc; phần kế hoạch đầu tư công trung hạn "
                "2021–2025 của huyện Đô Lương cũ được giao lại theo chủ đầu tư"
            ),
            findings=[found["offices_bach_ngoc"], found["equipment_luong_son"]],
        ),
        "agriculture": DirectiveSpec(
            title=(
                "Hướng dẫn, tập huấn chuyên môn về đất đai, tài nguyên, khoáng sản và môi "
                "trường cho các xã"
            ),
            lead_agency=_agency(AGRICULTURE_ENVIRONMENT),
            deadline=later,
            expected_result="Công chức các xã nắm vững nghiệp vụ; hồ sơ đất đai không quá hạn",
            findings=[found["land"]],
            subtasks=[
                DirectiveSpec(
                    title="Tập huấn nghiệp vụ đất đai, tài nguyên, khoáng sản, môi trường",
                    lead_agency=_agency(AGRICULTURE_ENVIRONMENT),
                    supporting_agencies=[_agency(commune_people(DO_LUONG))],
                    deadline=story.after_conclusion(30),
                    expected_result="Công chức địa chính của 6 xã được tập huấn",
                ),
                DirectiveSpec(
                    title=f"Giải quyết dứt điểm hồ sơ đất đai quá hạn tại xã {land_name}",
                    lead_agency=_agency(commune_people(weak.land)),
                    supporting_agencies=[_agency(AGRICULTURE_ENVIRONMENT)],
                    deadline=story.quarter_end,
                    expected_result="Không còn hồ sơ đất đai quá hạn trong quý",
                    target=TargetSpec(
                        measure_key=OVERDUE_OPEN,
                        unit=_commune(weak.land),
                        field=_field(LAND),
                        period_start=quarter[0],
                        period_end=quarter[1],
                        comparison=Comparison.EQUAL,
                        threshold=Decimal(0),
                    ),
                ),
            ],
        ),
        "ppc_office": DirectiveSpec(
            title=(
                "Kết nối, chia sẻ dữ liệu với Hệ thống thông tin giải quyết thủ tục hành chính "
                "tỉnh và Hệ thống thông tin quốc gia về đăng ký doanh nghiệp"
            ),
            lead_agency=_agency(PPC_OFFICE),
            supporting_agencies=[_agency(SERVICE_CENTER)],
            deadline=later,
            expected_result="Phần mềm của các xã kết nối, đồng bộ dữ liệu ổn định",
            findings=[found["it_do_luong"], found["it_thuan_trung"], found["online"]],
            subtasks=[
                DirectiveSpec(
                    title=f"Nâng tỷ lệ tiếp nhận hồ sơ trực tuyến tại xã {online_name}",
                    lead_agency=_agency(commune_people(weak.online)),
                    deadline=story.quarter_end,
                    expected_result=(
                        f"Tỷ lệ hồ sơ tiếp nhận trực tuyến trong quý từ {online_target} % trở "
                        "lên, bằng mức bình quân của tỉnh"
                    ),
                    findings=[found["online"]],
                    target=TargetSpec(
                        measure_key=ONLINE_RATE,
                        unit=_commune(weak.online),
                        period_start=quarter[0],
                        period_end=quarter[1],
                        comparison=Comparison.AT_LEAST,
                        threshold=online_target,
                    ),
                ),
            ],
        ),
        "industry_trade": _advise(INDUSTRY_TRADE, "công thương", later, []),
        "construction": _advise(CONSTRUCTION, "xây dựng", later, [found["construction"]]),
        "ethnic_religions": _advise(
            ETHNIC_RELIGIONS, "dân tộc, tôn giáo", story.after_conclusion(20), []
        ),
        "justice": _advise(JUSTICE, "tư pháp, hộ tịch, chứng thực", story.after_conclusion(20), []),
    }
    directives = {}
    with clock.fixed_at(story.at(story.concluded_on, 15)):
        for name, spec in specs.items():
            directives[name] = services.issue_directive(story.leader, inspection, spec)
    _follow_up(story, directives)
    return list(directives.values())


def _follow_up(story: _Story, issued: dict[str, Directive]) -> None:
    """Progress reported since, and the directives the secretariat has closed."""
    days_ago = story.days_ago
    review = issued["home_affairs"].subtasks.order_by("pk").first()  # the second is still open
    training, _land = issued["agriculture"].subtasks.order_by("pk")
    online = issued["ppc_office"].subtasks.get()
    story.update(
        "lanhdao.doluong",
        review,
        story.after_conclusion(9),
        "Xã Đô Lương đã gửi báo cáo: thiếu 01 công chức xây dựng, 01 công chức địa chính",
        100,
    )
    story.close(review, story.after_conclusion(13), "Sở Nội vụ đã tổng hợp nhu cầu của 6 xã")
    story.update(
        "chuyenvien.doluong",
        training,
        story.after_conclusion(24),
        "Công chức địa chính xã Đô Lương đã dự lớp tập huấn của Sở",
        100,
    )
    story.close(training, story.after_conclusion(26), "Đã tập huấn cho công chức của 6 xã")
    story.close(
        issued["ethnic_religions"],
        story.after_conclusion(18),
        "Sở Dân tộc và Tôn giáo đã có văn bản hướng dẫn các xã",
    )
    story.update(
        "chuyenvien.sotuphap",
        issued["justice"],
        story.after_conclusion(24),
        "Đã ban hành văn bản hướng dẫn nghiệp vụ hộ tịch, chứng thực cho các xã",
        100,
    )
    story.close(
        issued["justice"],
        story.after_conclusion(25),
        "Sở Tư pháp đã hướng dẫn các xã (quá thời hạn 5 ngày)",
    )
    story.update(
        SECRETARY,
        issued["ppc_office"],
        days_ago(30),
        "Đã khắc phục lỗi đồng bộ dữ liệu của 4/6 xã với hệ thống của tỉnh",
        50,
    )
    story.update(
        "tiepnhan.tinh",
        issued["ppc_office"],
        days_ago(12),
        "Trung tâm đã hỗ trợ các xã kết nối với Hệ thống thông tin quốc gia về đăng ký "
        "doanh nghiệp",
        70,
    )
    reporter = _reporter(story.weak.online)
    if reporter is not None:  # a commune without a demo account reports nothing
        story.update(
            reporter.username,
            online,
            days_ago(7),
            "Bộ phận một cửa hướng dẫn người dân nộp hồ sơ trực tuyến ngay tại quầy",
            None,
        )
    story.update(
        "lanhdao.doluong",
        issued["home_affairs"],
        days_ago(20),
        "Xã Đô Lương đã tiếp nhận 01 công chức xây dựng biệt phái",
        40,
    )
