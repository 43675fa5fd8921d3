"""The demo province's mix of work: which procedures come how often, and how they tend to go.

Illustrative figures, shared by the demo history (``demo_history``) and the figures' benchmark
(``bench/generate_province.py``): relative volumes of procedures, rates of lateness, supplement
requests, fee pauses, refusals and withdrawals by field, and the words of applicants' names.
"""

# Relative volume of each procedure among those of its tier (certified copies and civil status
# make most of a commune's work; criminal records, driving licences and business registration
# most of the province's).
COMMUNE_WEIGHTS = {
    "X.CT.001": 200, "X.CT.002": 80, "X.CT.003": 30, "X.CT.004": 15, "X.CT.005": 10,
    "X.CT.006": 15, "X.HT.001": 60, "X.HT.002": 15, "X.HT.003": 20, "X.HT.004": 3,
    "X.HT.005": 10, "X.HT.006": 40, "X.HT.007": 50, "X.HT.008": 15, "X.HT.009": 2,
    "X.HT.010": 4, "X.HT.011": 50, "X.HT.012": 12, "X.DD.001": 30, "X.DD.002": 5,
    "X.DD.003": 15, "X.DD.004": 10, "X.LD.001": 20, "X.LD.002": 8, "X.LD.003": 6,
    "X.LD.004": 12, "X.LD.005": 4, "X.LD.006": 1, "X.HKD.001": 15, "X.HKD.002": 8,
    "X.HKD.003": 5, "X.HKD.004": 5, "X.XD.001": 12, "X.XD.002": 6, "X.XD.003": 2,
    "X.XD.004": 2, "X.GD.001": 1, "X.GD.002": 8, "X.GD.003": 6, "X.MT.001": 4,
    "X.NN.001": 6, "X.NV.001": 5, "X.TG.001": 1, "X.TG.002": 1, "X.VH.001": 2,
    "X.VH.002": 1,
}  # fmt: skip
PROVINCE_WEIGHTS = {
    "T.GT.001": 180, "T.TP.001": 200, "T.DN.001": 40, "T.DN.002": 60, "T.DN.003": 100,
    "T.DN.004": 30, "T.DN.005": 10, "T.DD.001": 100, "T.DD.002": 80, "T.GD.001": 40,
    "T.XD.001": 10, "T.XD.002": 20, "T.YT.001": 20, "T.VH.001": 5, "T.VH.002": 10,
    "T.NN.001": 20, "T.CT.001": 5, "T.CT.002": 5, "T.MT.001": 5, "T.MT.002": 5,
    "T.NV.001": 2, "T.TG.001": 2, "T.TP.002": 2, "T.TP.003": 3, "T.TS.001": 2,
}  # fmt: skip
PROVINCE_SHARE = 0.12  # of all dossiers, provincial procedures
PROVINCE_AT_COMMUNE_DESKS = 0.15  # of those, received at a commune's desk (not the centre)
# By field: late, supplement asked, payment awaited, refused, withdrawn (probabilities).
FIELD_RATES = {
    "CHUNGTHUC": (0.010, 0.004, 0.0, 0.004, 0.004),
    "HOTICH": (0.020, 0.030, 0.0, 0.010, 0.006),
    "DATDAI": (0.140, 0.180, 0.35, 0.040, 0.020),
    "XAYDUNG": (0.090, 0.150, 0.0, 0.030, 0.015),
    "LDXH": (0.050, 0.080, 0.0, 0.030, 0.010),
    "HKD": (0.020, 0.050, 0.0, 0.010, 0.010),
    "DKDN": (0.020, 0.080, 0.0, 0.010, 0.010),
    "MOITRUONG": (0.080, 0.120, 0.0, 0.020, 0.010),
}
OTHER_FIELD_RATES = (0.040, 0.060, 0.0, 0.015, 0.010)
LATE_TREND = (2.2, 0.9)  # lateness multiplier at the start and at the end of the five years
ONLINE_SHARE = (0.30, 0.58)  # target share of online intake at the start and at the end
ONLINE_LEVEL = {"none": 0.0, "partial": 0.55, "full": 1.0}
STUCK = 0.0004  # never decided: open ever since, overdue
NEVER_BACK = 0.10  # of supplements asked: the applicant never brings them (withdrawn later)

WORDS = {
    "family": "Nguyễn Nguyễn Nguyễn Nguyễn Trần Trần Lê Lê Phạm Hoàng Phan Vũ Võ Đặng Bùi Đỗ Hồ"
    " Ngô Dương Lý Thái Hà Cao Đinh Lương Chu Trịnh Tăng Quách",
    "middle": "Văn Văn Thị Thị Thị Hữu Đức Minh Thanh Ngọc Quang Xuân Thu Hồng Kim Đình Công Bá",
    "given": "An Anh Bình Chi Cường Dũng Dung Giang Hà Hải Hạnh Hiền Hiếu Hoa Hòa Hùng Hương Huy"
    " Khánh Lan Linh Long Mai Minh Nam Nga Ngọc Nhung Phong Phương Quân Quang Sơn Tâm Thảo Thắng"
    " Thành Thủy Trang Trung Tuấn Tú Vân Việt Xuân Yến Lộc Hậu Tình Nhàn Kiên Đạt Lực Hưng Toàn",
}
FAMILY, MIDDLE, GIVEN = (WORDS[k].split(" ") for k in ("family", "middle", "given"))
