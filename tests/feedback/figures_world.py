"""March 2026, worked out by hand, shared by the figures, index, measures and briefing tests.

Petitions (the moi-truong category: 10 working days; no holiday in March 2026):

- P1 Đô Lương, received Mon 2/3 09:00, due Mon 16/3 09:00, answered 10/3: on time.
- P2 Đô Lương, received 2/3 10:00, due 16/3 10:00, answered 20/3: late.
- P3 Đô Lương, received 2/3 11:00, due 16/3 11:00, assigned, never answered: overdue.
- P4 Văn Hiến, received Tue 3/3 09:00, due Tue 17/3 09:00, answered 5/3: on time; rated
  satisfied on 6/3.
- P5 Đô Lương, received Wed 25/3 09:00, due Wed 8/4 09:00: open within its deadline at the end.
- P6 received at Đô Lương on 3/3 09:00 (due 17/3 09:00), transferred to Sở Xây dựng on 4/3 and
  answered by it on 9/3: received at Đô Lương, answered on time and due at Sở Xây dựng, which
  held it when it fell due (``tallies``; the Đô Lương commune still reads it).

Ratings: two X.HT.007 dossiers of Đô Lương (decided by the Office of its People's Council and
Committee) returned on 6/3; A rated satisfied, B dissatisfied, on 6/3. P4's rating.

Read on 1 April 09:00, March:
- Đô Lương: received 5 (P1 P2 P3 P5 P6), answered on time 1, late 1, overdue 1, open in time 1,
  due 3, answered by the deadline 1 (33.3 %); ratings 2, satisfied 1 (50 %).
- Văn Hiến: received 1, on time 1, due 1, by the deadline 1 (100 %); ratings 1, satisfied 1.
- Sở Xây dựng: received 0, on time 1, due 1, by the deadline 1.
- Province: received 6, on time 3, late 1, overdue 1, open in time 1, due 5, by the deadline 3
  (60 %); ratings 3, satisfied 2 (66.7 %).
- MDHL: Đô Lương (1/2 + 1/3) / 2 × 18 = (0.5 + 0.3333) / 2 × 18 = 7.4997 → 7.50; Văn Hiến
  (1 + 1) / 2 × 18 = 18.00; the province (0.6667 + 0.6) / 2 × 18 = 11.4003 → 11.40.
"""

import datetime as dt
from types import SimpleNamespace

from haicap.core import clock
from haicap.dossiers.models import Dossier
from haicap.feedback.models import Petition
from haicap.feedback.services import handling, ratings
from tests.dossiers.test_scenarios import act, receive
from tests.feedback.world import CONSTRUCTION, VAN_HIEN, agency, at, file, people

MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
MARCH_QUERY = {"kind": "month", "year": 2026, "number": 3}
APRIL_FIRST = at(4, 1, 9)
HAPPY = {"guidance": "very_satisfied", "on_time": "satisfied", "conduct": "satisfied"}
SATISFIED = {**HAPPY, "overall": "very_satisfied"}
DISSATISFIED = {**HAPPY, "overall": "dissatisfied"}
PETITION_SATISFIED = {"conduct": "satisfied", "answer": "satisfied", "overall": "satisfied"}


def returned(user, day: int = 2) -> tuple[Dossier, str]:
    """An X.HT.007 dossier of Đô Lương received on ``day`` March, its result returned four days
    on; with the PIN of its slip."""
    received = receive(user, at(3, day, 9), "X.HT.007")
    code = received.dossier.code
    act(user, "tiepnhan.doluong", at(3, day, 9, 30), code, "forward")
    act(user, "chuyenvien.doluong", at(3, day + 1, 10), code, "submit")
    act(user, "lanhdao.doluong", at(3, day + 3, 8), code, "approve")
    act(user, "tiepnhan.doluong", at(3, day + 4, 8), code, "return_result")
    return Dossier.objects.get(code=code), received.pin


def answered(officer, petition: Petition, when: dt.datetime) -> Petition:
    with clock.fixed_at(when - dt.timedelta(hours=1)):
        handling.assign(officer, petition.code, officer)
    with clock.fixed_at(when):
        handling.answer(
            officer, petition.code, "Đã kiểm tra và xử lý xong vụ việc nêu trong phản ánh."
        )
    petition.refresh_from_db()
    return petition


def make(user) -> SimpleNamespace:
    p = people()
    p1 = answered(p.do_luong, file(at(3, 2, 9)).petition, at(3, 10, 9))
    p2 = answered(p.do_luong, file(at(3, 2, 10)).petition, at(3, 20, 9))
    p3 = file(at(3, 2, 11)).petition
    with clock.fixed_at(at(3, 3, 9)):
        handling.assign(p.do_luong, p3.code, p.do_luong)
    p4 = answered(p.van_hien_officer, file(at(3, 3, 9), commune=VAN_HIEN).petition, at(3, 5, 9))
    with clock.fixed_at(at(3, 6, 9)):
        ratings.rate_petition(p4, PETITION_SATISFIED)
    p5 = file(at(3, 25, 9)).petition
    p6 = file(at(3, 3, 9)).petition
    with clock.fixed_at(at(3, 4, 9)):
        handling.transfer(
            p.do_luong, p6.code, agency(CONSTRUCTION), "Công trình do Sở cấp phép xây dựng."
        )
    p6 = answered(p.construction, p6, at(3, 9, 9))
    a, a_pin = returned(user)
    b, _b_pin = returned(user)
    with clock.fixed_at(at(3, 6, 10)):
        ratings.rate_dossier(a, SATISFIED)
    with clock.fixed_at(at(3, 6, 11)):
        ratings.rate_dossier(b, DISSATISFIED, "Phải chờ lâu.")
    return SimpleNamespace(
        people=p, p1=p1, p2=p2, p3=p3, p4=p4, p5=p5, p6=p6, a=a, b=b, a_pin=a_pin
    )
