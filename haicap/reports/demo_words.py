"""What the demo's communes write in their monthly reports (pure: no Django).

ILLUSTRATIVE: invented texts and names, in the words communes use in such reports.
"""

import random

# Before the reform: the former communes preparing their merger.
RESULTS_BEFORE = (
    "Duy trì hoạt động của Bộ phận tiếp nhận và trả kết quả; hồ sơ được giải quyết đúng quy định.",
    "Hoàn thành kiểm kê tài sản, hồ sơ lưu trữ phục vụ bàn giao khi sắp xếp đơn vị hành chính.",
    "Tổ chức lấy ý kiến cử tri về đề án sắp xếp đơn vị hành chính cấp xã, tỷ lệ đồng thuận cao.",
    "Rà soát, lập danh sách cán bộ, công chức dự kiến bố trí sau sắp xếp.",
)
DIFFICULTIES_BEFORE = (
    "Khối lượng công việc chuẩn bị sắp xếp đơn vị hành chính lớn trong khi vẫn phải bảo đảm "
    "hoạt động thường xuyên.",
    "Một số cán bộ, công chức tâm lý chờ đợi bố trí sau sắp xếp.",
    "Hồ sơ lưu trữ nhiều năm chưa được số hóa, mất nhiều thời gian chỉnh lý để bàn giao.",
)
PROPOSALS_BEFORE = (
    "Đề nghị huyện sớm hướng dẫn phương án bố trí cán bộ, công chức sau sắp xếp.",
    "Đề nghị hỗ trợ kinh phí chỉnh lý, số hóa hồ sơ lưu trữ trước khi bàn giao.",
    "Đề nghị tỉnh ban hành hướng dẫn bàn giao tài sản, trụ sở của xã sau sắp xếp.",
)

# Since the reform: the new communes running the two-tier government.
RESULTS = (
    "Trung tâm Phục vụ hành chính công xã hoạt động ổn định; hồ sơ được tiếp nhận, trả kết quả "
    "qua hệ thống.",
    "Tỷ lệ hồ sơ nộp trực tuyến tăng so với tháng trước nhờ hướng dẫn người dân tại các xóm.",
    "Hoàn thành bố trí công chức theo vị trí việc làm được phê duyệt.",
    "Tổ chức hội nghị đối thoại với Nhân dân về giải quyết thủ tục hành chính.",
    "Triển khai thanh toán trực tuyến phí, lệ phí tại Trung tâm Phục vụ hành chính công xã.",
)
DIFFICULTIES = (
    "Địa bàn xã sau sắp xếp rộng, người dân ở các xóm xa đi lại làm thủ tục còn khó khăn.",
    "Trang thiết bị của Trung tâm Phục vụ hành chính công còn thiếu, một số máy tính đã cũ.",
    "Công chức địa chính còn thiếu so với khối lượng hồ sơ đất đai.",
    "Đường truyền mạng tại điểm tiếp nhận phụ thường xuyên gián đoạn.",
    "Một số thủ tục liên thông với cấp tỉnh trả kết quả chậm.",
)
PROPOSALS = (
    "Đề nghị Sở Nội vụ biệt phái thêm 01 công chức địa chính cho xã trong 6 tháng.",
    "Đề nghị Sở Tài chính điều chuyển máy quét, máy tính dôi dư cho Trung tâm Phục vụ hành chính "
    "công xã.",
    "Đề nghị tỉnh nâng cấp đường truyền tại các điểm tiếp nhận hồ sơ của xã.",
    "Đề nghị tỉnh tổ chức tập huấn nghiệp vụ cho công chức mới được bố trí.",
    "Đề nghị các sở rút ngắn thời gian trả kết quả các thủ tục liên thông.",
)

# Why a commune typed a figure haicap did not have (the reason its override needs).
NO_FIGURE_REASON = "Số liệu theo sổ theo dõi của xã; hệ thống chưa có số liệu tháng này."

# The province's note on a report it returned.
RETURN_NOTES = (
    "Đề nghị xã rà soát lại số hồ sơ theo lĩnh vực và bổ sung kiến nghị cụ thể.",
    "Đề nghị xã nêu rõ nguyên nhân hồ sơ quá hạn và biện pháp khắc phục.",
)

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Hồ", "Ngô")
MIDDLE = ("Văn", "Đình", "Hữu", "Xuân", "Quang", "Công", "Sỹ", "Thị")
GIVEN = ("Hùng", "Dũng", "Thành", "Tâm", "Lâm", "Hải", "Bình", "Thắng", "Toàn", "Cường", "Hòa")


def chairman(seed: str) -> str:
    """A former commune's chairman, the same for the same seed."""
    rnd = random.Random(seed)  # noqa: S311  (illustrative names, not secrets)
    return f"{rnd.choice(FAMILY)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}"


def pick(texts: tuple[str, ...], rnd: random.Random) -> str:
    return rnd.choice(texts)
