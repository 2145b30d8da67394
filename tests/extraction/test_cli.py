import json

from borderdesk.extraction.cli import main


def test_jsonl_and_errors(tmp_path, capsys):
    good = tmp_path / "bai.txt"
    good.write_text("Bắt giữ 15 vụ/21 đối tượng buôn lậu.", encoding="utf-8")
    empty = tmp_path / "rong.txt"
    empty.write_bytes(b"")
    code = main(["extract", str(empty), str(good)])
    out, err = capsys.readouterr()
    assert code == 2
    assert "rong.txt" in err and "rỗng" in err
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["value"], r["unit"]) for r in rows] == [(15, "vụ"), (21, "đối tượng")]
    for key in ("file", "quote", "start", "end", "value", "unit", "qualifier", "indicator", "comparison"):
        assert key in rows[0]
    assert rows[0]["indicator"] == "SMUGGLING_CASES"


def test_table_and_catalogue(tmp_path, capsys):
    good = tmp_path / "bai.txt"
    good.write_text("Làm thủ tục xuất cảnh cho 500 lượt người.", encoding="utf-8")
    catalogue = tmp_path / "cat.csv"
    catalogue.write_text("code,unit,keywords\nMY_EXITS,lượt người,xuất cảnh\n", encoding="utf-8")
    assert main([str(good), "--format", "table", "--catalogue", str(catalogue)]) == 0
    out, _err = capsys.readouterr()
    assert "MY_EXITS" in out and "500" in out
    assert main([str(good), "--catalogue", str(tmp_path / "missing.csv")]) == 2


def test_stdin_is_read_only_up_to_the_limit(monkeypatch, capsys):
    import io
    import sys

    class Stdin:
        buffer = io.BytesIO(b"x" * 5000)

    monkeypatch.setattr(sys, "stdin", Stdin)
    assert main(["-", "--max-bytes", "1000"]) == 2
    _out, err = capsys.readouterr()
    assert "quá lớn" in err
    assert Stdin.buffer.tell() == 1001  # the rest was never read


def test_numbers_in_words_from_the_command(tmp_path, capsys):
    good = tmp_path / "bai.txt"
    good.write_text("Các đơn vị đã tổ chức hai mươi lăm đợt tuần tra; có hàng trăm hộ tham gia.", encoding="utf-8")
    assert main([str(good)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr()[0].splitlines()]
    assert [(r["value"], r["unit"], r["vague"]) for r in rows] == [(25, "đợt", False), (None, "hộ", True)]


def test_jsonl_gives_changes_and_parts(tmp_path, capsys):
    import json

    from borderdesk.extraction.cli import main

    path = tmp_path / "t.txt"
    path.write_text(
        "Có 1.250 doanh nghiệp, tăng 148 doanh nghiệp so với năm 2024; kiểm tra 130/131 mốc.", encoding="utf-8"
    )
    assert main([str(path), "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows[1]["change"] == {"direction": "up", "of": 0}
    assert (rows[2]["part_of"], rows[3]["part_of"]) == (3, None)
