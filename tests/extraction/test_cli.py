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
