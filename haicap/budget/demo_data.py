"""The demo province's public-investment projects: the former Đô Lương district's 2025 projects
and their investors after the reform.

ILLUSTRATIVE: the projects, amounts, decisions and the pace of disbursement are invented for the
demo; they are not Nghệ An's plan. Amounts are whole đồng, uneven on purpose, so that a transfer
that is not balanced to the đồng shows.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

NOTE = (
    "Số liệu minh họa của bản demo, không phải kế hoạch vốn thực tế của tỉnh Nghệ An "
    "(illustrative demo figures, not Nghệ An's actual capital plan)"
)

# Investors after the reform: a commune's People's Committee or a provincial agency.
PPC_OFFICE, AGRICULTURE, CONSTRUCTION = "000.01.00.H40", "000.07.00.H40", "000.08.00.H40"
DO_LUONG, BACH_NGOC, VAN_HIEN = "17662.01.H40", "17623.01.H40", "17677.01.H40"
BACH_HA, THUAN_TRUNG, LUONG_SON = "17707.01.H40", "17689.01.H40", "17641.01.H40"
FORMER_INVESTOR = "Ủy ban nhân dân huyện Đô Lương"

# The decisions behind the entries (illustrative numbers).
MEDIUM_TERM_DECISION = ("1520/QĐ-UBND", dt.date(2021, 9, 20))
ALLOCATION_2025 = ("4125/QĐ-UBND", dt.date(2024, 12, 25))
ALLOCATION_2026 = ("3890/QĐ-UBND", dt.date(2025, 12, 22))
TRANSFER_2025 = ("2150/QĐ-UBND", dt.date(2025, 8, 15))


@dataclass(frozen=True)
class DemoProject:
    code: str
    name: str
    field: str
    location: str | None  # the commune's code; None for a project spanning several
    investor: str  # the agency's code after the reform
    # the total investment by source; after the reform the district budget's remaining share
    # is the province's or the commune's, so the sources of the 2026 plan are among them
    fundings: tuple[tuple[str, int], ...]
    medium_term: tuple[tuple[str, int], ...]  # 2021–2025, at the district level, by source
    plan_2025: tuple[tuple[str, int], ...]  # at the district level, by source
    plan_2026: tuple[tuple[str, int], ...]  # at the investor's level, by source
    pace: Decimal  # how far ahead (>1) or behind (<1) of the province's pace it disburses

    @property
    def total_investment(self) -> int:
        return sum(amount for _source, amount in self.fundings)


PROJECTS = (
    DemoProject(
        "DL25-01",
        "Đường giao thông nối xã Đô Lương – xã Bạch Ngọc (giai đoạn 2)",
        "transport",
        "17662",
        CONSTRUCTION,
        (("district", 27_000_000_000), ("provincial", 18_000_000_000)),
        (("district", 18_500_000_000), ("provincial", 9_000_000_000)),
        (("district", 6_815_400_000), ("provincial", 4_000_000_000)),
        (("provincial", 9_500_000_000),),
        Decimal("1.08"),
    ),
    DemoProject(
        "DL25-02",
        "Cải tạo, nâng cấp Trường Tiểu học Bạch Ngọc",
        "education",
        "17623",
        BACH_NGOC,
        (("district", 9_800_000_000), ("commune", 2_600_000_000)),
        (("district", 8_000_000_000),),
        (("district", 3_127_550_000),),
        (("commune", 2_600_000_000),),
        Decimal("0.55"),
    ),
    DemoProject(
        "DL25-03",
        "Trạm y tế xã Văn Hiến",
        "health",
        "17677",
        VAN_HIEN,
        (("district", 3_650_000_000), ("central", 2_000_000_000), ("commune", 1_200_000_000)),
        (("district", 3_600_000_000), ("central", 1_500_000_000)),
        (("district", 2_480_000_000), ("central", 1_000_000_000)),
        (("commune", 1_200_000_000),),
        Decimal("1.02"),
    ),
    DemoProject(
        "DL25-04",
        "Kênh tưới Thuần Trung – Lương Sơn",
        "agriculture",
        "17689",
        AGRICULTURE,
        (("district", 10_000_000_000), ("provincial", 4_000_000_000), ("central", 14_000_000_000)),
        (("district", 9_800_000_000), ("central", 9_000_000_000)),
        (("district", 5_640_275_000), ("central", 3_500_000_000)),
        (("provincial", 4_000_000_000), ("central", 3_000_000_000)),
        Decimal("0.92"),
    ),
    DemoProject(
        "DL25-05",
        "Nhà văn hóa trung tâm xã Bạch Hà",
        "culture",
        "17707",
        BACH_HA,
        (("district", 3_850_000_000), ("commune", 1_100_000_000)),
        (("district", 3_600_000_000),),
        (("district", 1_874_300_000),),
        (("commune", 1_100_000_000),),
        Decimal("1.10"),
    ),
    DemoProject(
        "DL25-06",
        "Trụ sở Trung tâm Phục vụ hành chính công xã Đô Lương",
        "state_offices",
        "17662",
        DO_LUONG,
        (("district", 5_800_000_000), ("provincial", 3_000_000_000), ("commune", 800_000_000)),
        (("district", 5_200_000_000), ("provincial", 2_000_000_000)),
        (("district", 3_950_000_000),),
        (("provincial", 2_500_000_000), ("commune", 800_000_000)),
        Decimal("1.00"),
    ),
    DemoProject(
        "DL25-07",
        "Đường nội thị Đô Lương, đoạn qua chợ trung tâm",
        "urban",
        "17662",
        DO_LUONG,
        (("district", 11_300_000_000), ("commune", 3_900_000_000)),
        (("district", 10_400_000_000),),
        (("district", 4_312_890_000),),
        (("commune", 3_900_000_000),),
        Decimal("1.03"),
    ),
    DemoProject(
        "DL25-08",
        "Nhà học bộ môn Trường THCS Lương Sơn",
        "education",
        "17641",
        LUONG_SON,
        (("district", 5_400_000_000), ("commune", 1_900_000_000)),
        (("district", 5_200_000_000),),
        (("district", 2_965_000_000),),
        (("commune", 1_900_000_000),),
        Decimal("0.48"),
    ),
    DemoProject(
        "DL25-09",
        "Khu xử lý rác thải tập trung Thuần Trung",
        "environment",
        "17689",
        THUAN_TRUNG,
        (("district", 6_600_000_000), ("provincial", 3_000_000_000), ("commune", 2_200_000_000)),
        (("district", 6_400_000_000), ("provincial", 2_000_000_000)),
        (("district", 3_280_640_000), ("provincial", 1_500_000_000)),
        (("commune", 2_200_000_000),),
        Decimal("0.85"),
    ),
    DemoProject(
        "DL25-10",
        "Hạ tầng mạng và thiết bị bộ phận một cửa các xã vùng Đô Lương",
        "digital",
        None,
        PPC_OFFICE,
        (("district", 3_200_000_000), ("provincial", 2_000_000_000)),
        (("district", 3_200_000_000),),
        (("district", 1_950_000_000),),
        (("provincial", 1_800_000_000),),
        Decimal("0.40"),
    ),
    DemoProject(
        "DL25-11",
        "Cầu Khe Sơn",
        "transport",
        "17641",
        CONSTRUCTION,
        (("district", 6_700_000_000), ("provincial", 3_000_000_000), ("central", 10_000_000_000)),
        (("district", 6_600_000_000), ("central", 6_000_000_000)),
        (("district", 4_700_000_000), ("central", 2_000_000_000)),
        (("provincial", 3_000_000_000), ("central", 2_500_000_000)),
        Decimal("1.05"),
    ),
    DemoProject(
        "DL25-12",
        "Mở rộng Trạm y tế xã Bạch Hà",
        "health",
        "17707",
        BACH_HA,
        (("district", 2_500_000_000), ("commune", 900_000_000)),
        (("district", 2_400_000_000),),
        (("district", 1_215_780_000),),
        (("commune", 900_000_000),),
        Decimal("1.01"),
    ),
    DemoProject(
        "DL25-13",
        "Đường giao thông nông thôn xóm 5 xã Văn Hiến",
        "transport",
        "17677",
        VAN_HIEN,
        (("district", 2_550_000_000), ("commune", 300_000_000)),
        (("district", 2_100_000_000),),
        (("district", 1_437_000_000),),
        (("commune", 700_000_000),),
        Decimal("1.12"),
    ),
    DemoProject(
        "DL25-14",
        "Trường Mầm non Thuần Trung",
        "education",
        "17689",
        THUAN_TRUNG,
        (("district", 4_600_000_000), ("commune", 1_500_000_000)),
        (("district", 4_300_000_000),),
        (("district", 2_106_450_000),),
        (("commune", 1_500_000_000),),
        Decimal("0.90"),
    ),
)

# The share of an annual plan the province expects disbursed by each month's end (cumulative),
# an illustrative pace in the usual shape: slow in the first months, most in the last quarter.
PACE = {
    1: Decimal(3),
    2: Decimal(7),
    3: Decimal(12),
    4: Decimal(18),
    5: Decimal(25),
    6: Decimal(35),
    7: Decimal(42),
    8: Decimal(50),
    9: Decimal(60),
    10: Decimal(70),
    11: Decimal(80),
    12: Decimal(95),
}
