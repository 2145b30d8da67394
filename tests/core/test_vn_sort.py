from borderdesk.core.collation import sort_key


def test_vietnamese_alphabetical_order():
    names = ["Xã Xuất Lễ", "Xã Đồng Đăng", "Xã Dục Tú", "Xã Ba Sơn", "Xã Ân Thi", "Xã An Lạc", "Xã Ấp Bắc"]
    assert sorted(names, key=sort_key) == [
        "Xã An Lạc",
        "Xã Ân Thi",
        "Xã Ấp Bắc",
        "Xã Ba Sơn",
        "Xã Dục Tú",
        "Xã Đồng Đăng",
        "Xã Xuất Lễ",
    ]
