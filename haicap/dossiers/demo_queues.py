"""A few dossiers waiting in each demo officer's queues, made through the real services.

Each is received and acted on with ``services.receive`` and ``services.act`` at recent moments
(``clock.fixed_at``), so every check, event, figure, audit record and outbox message is the one
the desk would have made: waiting to be forwarded, to be assigned, assigned to the specialist,
due within a working day, overdue, awaiting the leader's approval, with the result ready to hand
back, sent on to a department, online filings waiting at a desk, and xã Văn Hiến's backlog of
land dossiers overdue for months (the difficulty working group no. 4 finds there).
"""

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from haicap.accounts.models import User
from haicap.calendar.selectors import calendar_for
from haicap.calendar.workdays import VIETNAM, WorkCalendar
from haicap.catalog.models import Procedure
from haicap.core import clock
from haicap.dossiers import demo_mix as mix
from haicap.dossiers import services
from haicap.dossiers.applicant import Applicant
from haicap.units.models import Agency

DO_LUONG_DESK = "17662.05.H40"
VAN_HIEN_DESK = "17677.05.H40"
PROVINCE_DESK = "000.02.00.H40"
DRAFT = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"  # the draft result submitted
STEP = dt.timedelta(minutes=5)  # between one officer's action and the next
LAND_BACKLOG_OVERDUE = dt.timedelta(days=80)  # Văn Hiến's land backlog: overdue at least this long


@dataclass(frozen=True)
class Receipt:
    """A dossier to receive at ``received`` and the steps to take on it then."""

    desk: str
    intake: str
    procedure: Procedure
    received: dt.datetime
    applicant: Applicant
    steps: list[tuple[str, str, dict]]


class Desks:
    """Receives and acts at given moments, as the demo officers."""

    def __init__(self, now: dt.datetime, seed: int = 2026) -> None:
        self.now = now
        self.calendar = calendar_for(None)
        self.rnd = random.Random(seed)  # noqa: S311 (illustrative data, not security)
        self.planned: list[Receipt] = []
        self.made: list[str] = []

    def user(self, username: str) -> User:
        return User.objects.get(username=username)

    def applicant(self) -> Applicant:
        rnd = self.rnd
        name = f"{rnd.choice(mix.FAMILY)} {rnd.choice(mix.MIDDLE)} {rnd.choice(mix.GIVEN)}"
        century = rnd.choice("0123")
        year = rnd.randrange(55, 100) if century in "01" else rnd.randrange(0, 7)
        return Applicant(
            name=name,
            id_number=f"040{century}{year:02d}{rnd.randrange(10**6):06d}",
            phone=f"09{rnd.randrange(10**8):08d}",
        )

    def receive(
        self,
        desk: str,
        intake: str,
        code: str,
        want: Callable[[dt.datetime], bool],
        steps: list[tuple[str, str, dict]] = (),
        before: dt.datetime | None = None,
    ) -> None:
        """Plan to receive ``code`` at the latest recent moment (or the latest before
        ``before``) whose due moment ``want`` accepts, then take ``steps`` (username, action,
        arguments) a few minutes apart; ``receive_planned`` does it."""
        procedure = Procedure.objects.get(national_code=code)
        latest = (before or self.now) - len(steps) * STEP - STEP
        received = received_for(self.calendar, procedure, latest, want)
        self.planned.append(
            Receipt(desk, intake, procedure, received, self.applicant(), list(steps))
        )

    def receive_planned(self) -> None:
        """Receives the planned dossiers in the order of their time of receipt, as a desk
        would have, so each desk's day numbers and log-book numbers follow that order."""
        for receipt in sorted(self.planned, key=lambda r: r.received):
            self._receive(receipt)
        self.planned = []

    def _receive(self, receipt: Receipt) -> None:
        with clock.fixed_at(receipt.received):
            dossier = services.receive(
                self.user(receipt.intake),
                procedure=receipt.procedure,
                receiving_agency=Agency.objects.get(code=receipt.desk),
                applicant=receipt.applicant,
            ).dossier
        moment = receipt.received
        for username, action, arguments in receipt.steps:
            moment += STEP
            with clock.fixed_at(moment):
                if action == "submit":
                    paper = services.attach_document(
                        self.user(username),
                        dossier.code,
                        "Dự thảo kết quả",
                        SimpleUploadedFile("du-thao.pdf", DRAFT, "application/pdf"),
                    )
                    arguments = {**arguments, "document_ids": [paper.pk]}
                services.act(self.user(username), dossier.code, action, **arguments)
        self.made.append(dossier.code)

    def file_online(self, desk: str, code: str, hours_ago: int) -> None:
        with clock.fixed_at(self.now - dt.timedelta(hours=hours_ago)):
            services.submit_online(
                procedure=Procedure.objects.get(national_code=code),
                desk=Agency.objects.get(code=desk),
                applicant=self.applicant(),
            )


def received_for(
    calendar: WorkCalendar, procedure: Procedure, latest: dt.datetime, want: Callable
) -> dt.datetime:
    """The latest office moment at or before ``latest`` (half-hour steps, within 40 days) whose
    due moment ``want`` accepts."""
    day = latest.astimezone(VIETNAM).date()
    for _ in range(40):
        if calendar.is_working_day(day):
            for minutes in range(600, -1, -30):  # 17:30 back to 07:30
                moment = dt.datetime.combine(day, dt.time(7, 30), VIETNAM) + dt.timedelta(
                    minutes=minutes
                )
                if moment > latest:
                    continue
                due = calendar.add(
                    moment, procedure.legal_amount, procedure.legal_unit, procedure.cutoff
                )
                if want(due):
                    return moment
        day -= dt.timedelta(days=1)
    raise ValueError(f"no recent moment of receipt suits {procedure.national_code}")


def fill_queues(now: dt.datetime) -> list[str]:
    """The waiting dossiers and online filings; the codes of the dossiers."""
    desks = Desks(now)
    soon = desks.calendar.add(now, Decimal(1), "working_days")  # the desk's "due soon"

    def later(due: dt.datetime) -> bool:
        return due > now + dt.timedelta(hours=1)

    def due_soon(due: dt.datetime) -> bool:
        return now < due <= soon

    def overdue(due: dt.datetime) -> bool:  # by a working day or more, whenever it is loaded
        return desks.calendar.elapsed(due, now) >= 1

    specialist = desks.user("chuyenvien.doluong")
    justice = desks.user("chuyenvien.sotuphap")
    forward = ("tiepnhan.doluong", "forward", {})
    assign = ("lanhdao.doluong", "assign", {"assignee": specialist})
    submit = ("chuyenvien.doluong", "submit", {})
    approve = ("lanhdao.doluong", "approve", {})
    do_luong = (DO_LUONG_DESK, "tiepnhan.doluong")
    desks.receive(*do_luong, "X.CT.001", later)  # to forward
    desks.receive(*do_luong, "X.HT.007", later)
    desks.receive(*do_luong, "X.HT.001", later, [forward])  # to assign
    desks.receive(*do_luong, "X.HT.011", later, [forward, assign])  # the specialist's
    desks.receive(*do_luong, "X.HT.006", due_soon, [forward, assign])
    desks.receive(*do_luong, "X.HT.007", overdue, [forward, assign])
    desks.receive(*do_luong, "X.HKD.001", later, [forward, assign, submit])  # to approve
    desks.receive(*do_luong, "X.HT.007", due_soon, [forward, assign, submit])
    desks.receive(*do_luong, "X.HT.001", later, [forward, assign, submit, approve])  # to hand back
    desks.receive(*do_luong, "X.CT.002", later, [forward, assign, submit, approve])
    department = Procedure.objects.get(national_code="T.TP.001").provincial_agency
    sent_on = {"target_agency": department, "note": "Chuyển Sở Tư pháp giải quyết theo thẩm quyền."}
    desks.receive(
        *do_luong, "X.HT.012", later, [forward, ("chuyenvien.doluong", "transfer", sent_on)]
    )
    van_hien = (VAN_HIEN_DESK, "tiepnhan.vanhien")
    desks.receive(*van_hien, "X.CT.001", later)
    desks.receive(*van_hien, "X.HT.007", later)
    desks.receive(*van_hien, "X.HT.001", overdue)
    # Land dossiers forwarded months ago and never taken up (the commune has no land officer to
    # assign them to): overdue well before working group no. 4's visit, 70 days before now
    # (``haicap.oversight.demo``), and still overdue.
    long_overdue = now - LAND_BACKLOG_OVERDUE

    def overdue_before_the_visit(due: dt.datetime) -> bool:
        return due < long_overdue

    forwarded = [("tiepnhan.vanhien", "forward", {})]
    for code, weeks in (("X.DD.001", 15), ("X.DD.003", 16), ("X.DD.004", 17)):
        before = now - dt.timedelta(weeks=weeks)
        desks.receive(*van_hien, code, overdue_before_the_visit, forwarded, before)
    centre = (PROVINCE_DESK, "tiepnhan.tinh")
    send = ("tiepnhan.tinh", "forward", {})
    take_up = ("chuyenvien.sotuphap", "assign", {"assignee": justice})
    desks.receive(*centre, "T.TP.001", later)
    desks.receive(*centre, "T.TP.001", later, [send])
    desks.receive(*centre, "T.TP.001", later, [send, take_up])
    desks.receive(*centre, "T.TP.001", due_soon, [send, take_up])
    desks.receive(*centre, "T.TP.001", overdue, [send, take_up])
    desks.receive_planned()
    desks.file_online(DO_LUONG_DESK, "X.HT.007", 3)
    desks.file_online(DO_LUONG_DESK, "X.CT.001", 20)
    desks.file_online(VAN_HIEN_DESK, "X.HT.001", 5)
    desks.file_online(PROVINCE_DESK, "T.TP.001", 2)
    return desks.made
