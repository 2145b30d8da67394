"""The province narrative of a report: unit narratives summarised by theme, not pasted one after another.

The reporting committee's own text (the province's, or the agency's for an agency report) leads each
theme. The narratives of the units under it (communes, border stations) are cut into points, cleaned
(demo marks such as "(minh họa)" are dropped, the unit's own subject "xã"/"đồn" becomes "các xã biên
giới"/"các đồn biên phòng"), points that only restate a count the report gives from its figures are
left out, repeated points are merged, and each theme gets one paragraph:

    border situation → ``general``; management and protection → ``border``; foreign affairs → ``foreign``;
    gates and trade → ``gates``; propaganda and mass mobilisation → ``outreach``; shortcomings →
    ``shortcomings``; directions → ``next_tasks``; proposals → ``proposals``.
"""

from __future__ import annotations

import re
import unicodedata

THEMES = ("general", "border", "foreign", "gates", "outreach", "shortcomings", "next_tasks", "proposals")

#: Keywords that place a point under a theme (first match in this order wins).
KEYWORDS = [
    ("gates", ("cửa khẩu", "thông quan", "xuất, nhập khẩu", "xuất nhập khẩu", "kim ngạch", "thương mại")),
    (
        "foreign",
        ("hội đàm", "giao lưu", "đối ngoại", "phía bạn", "quảng tây", "hủa phăn", "luông pha bang", "kết nghĩa"),
    ),
    ("outreach", ("tuyên truyền", "vận động", "dân vận", "phổ biến pháp luật")),
    (
        "border",
        ("mốc", "đường biên", "tuần tra", "tự quản", "phát quang", "sạt lở", "đường tuần tra", "quản lý, bảo vệ"),
    ),
]
#: Narrative section → theme when no keyword decides.
SECTION_THEME = {
    "general": "general",
    "results": "border",
    "border": "border",
    "outreach": "outreach",
    "gates": "gates",
    "foreign": "foreign",
    "shortcomings": "shortcomings",
    "next_tasks": "next_tasks",
    "proposals": "proposals",
}
#: Sections whose points are not re-sorted by keyword (a shortcoming about patrols stays a shortcoming).
FIXED = {"shortcomings", "next_tasks", "proposals"}

DEMO_MARK = re.compile(r"\s*\((?:minh họa|minh hoạ|demo|dữ liệu minh họa)\)\s*", re.I)
# A count the report states from its figures: "tuần tra song phương 3 lượt", "3 buổi tuyên truyền cho 380 lượt".
COUNT_ONLY = re.compile(r"\b\d[\d.]*\s*(?:lượt|buổi|vụ|lần)\b", re.I)
UNIT_SUBJECT = re.compile(r"^(?:(?:UBND\s+)?xã|phường|thị trấn|đồn(?: biên phòng)?)\s+(?=[a-zà-ỹđ])", re.I)
INNER_SUBJECT = re.compile(
    r"(?<=[,;]\s)(?:xã|đồn)\s+(?=(?:phối hợp|tăng cường|huy động|tổ chức|duy trì|kiện toàn|"
    r"triển khai|bàn giao|thực hiện|chủ động))",
    re.I,
)
LEADING_TIME = re.compile(
    r"^(?:tháng đầu hoạt động theo mô hình chính quyền địa phương hai cấp|"
    r"dịp [^,]+|tháng \d+(?:/\d{4})?|trong tháng)\s*,\s*",
    re.I,
)
BOILERPLATE = re.compile(r"^(?:tổng kết|sơ kết|báo cáo) công tác\b[^,;]*$", re.I)
VERB_START = (
    "phối hợp",
    "tăng cường",
    "huy động",
    "tổ chức",
    "duy trì",
    "kiện toàn",
    "triển khai",
    "bàn giao",
    "thực hiện",
    "chủ động",
    "không để",
    "tiếp tục",
    "đẩy mạnh",
    "làm tốt",
    "nắm chắc",
    "xây dựng",
)


def _norm(text: str) -> str:
    t = unicodedata.normalize("NFC", text).lower()
    return re.sub(r"[^\wà-ỹđ]+", " ", t).strip()


def clean(text: str) -> str:
    """A narrative without demo marks, doubled spaces or doubled punctuation."""
    t = DEMO_MARK.sub(" ", text or "")
    t = re.sub(r"\s+", " ", t).strip()
    t = re.sub(r"\s+([,.;:])", r"\1", t)
    return re.sub(r"([.;:])\1+", r"\1", t)


def points(text: str, *, semicolons: bool = True) -> list[str]:
    """A narrative cut into points at sentence ends (and semicolons)."""
    parts = re.split(r"(?<=[.;])\s+(?=\S)|;\s*" if semicolons else r"(?<=\.)\s+(?=[A-ZÀ-ỸĐ])", clean(text))
    out = []
    for p in parts:
        p = p.strip().rstrip(".;").strip()
        if p:
            out.append(p)
    return out


def theme_of(point: str, section: str) -> str:
    if section in FIXED:
        return SECTION_THEME[section]
    low = point.lower()
    for theme, words in KEYWORDS:
        if any(w in low for w in words):
            return theme
    return SECTION_THEME.get(section, "general")


def _lower_first(s: str) -> str:
    return s[:1].lower() + s[1:] if s and not s[:2].isupper() else s


def _upper_first(s: str) -> str:
    return s[:1].upper() + s[1:]


def subject_for(kinds: set[str]) -> str:
    """ "các xã biên giới", "các đồn biên phòng" or both, from the kinds of the units that wrote."""
    names = []
    if kinds & {"commune", "ward", "town", "district", "unit"}:
        names.append("các xã biên giới")
    if "station" in kinds:
        names.append("các đồn biên phòng")
    names += sorted(k for k in kinds if k not in {"commune", "ward", "town", "district", "unit", "station"})
    return " và ".join(names) or "các đơn vị"


def _unit_point(p: str) -> tuple[str, bool]:
    """(point without the writing unit's own subject and time prefix, whether it takes the group subject)."""
    p0 = LEADING_TIME.sub("", p)
    p1 = UNIT_SUBJECT.sub("", p0)
    p2 = INNER_SUBJECT.sub("", p1).strip(" ,")
    takes_subject = p1 != p0 or p2.lower().startswith(VERB_START)
    return p2, takes_subject


def summarise(
    pieces_by_section: dict,
    *,
    own_units: set[str],
    unit_kinds: dict[str, str] | None = None,
    covered_by_figures: bool = True,
) -> dict[str, list[dict]]:
    """Theme → paragraphs (``[{"unit": ..., "text": ...}]``) for the outline's ``narratives``.

    `own_units`: names of the reporting body itself (its text is kept whole and leads). `unit_kinds`:
    unit name → "commune" / "station" / ... for the subject of the merged points."""
    unit_kinds = unit_kinds or {}
    own: dict[str, list[str]] = {t: [] for t in THEMES}
    merged: dict[str, list[tuple[str, bool]]] = {t: [] for t in THEMES}
    kinds: dict[str, set[str]] = {t: set() for t in THEMES}
    seen: set[str] = set()
    for section, pieces in pieces_by_section.items():
        for piece in pieces:
            unit = piece["unit"] if isinstance(piece, dict) else getattr(piece, "unit", "")
            text = piece["text"] if isinstance(piece, dict) else getattr(piece, "text", "")
            is_own = unit in own_units
            for p in points(text, semicolons=not is_own):
                key = _norm(p)
                if not key or key in seen:
                    continue
                theme = theme_of(p, section)
                if is_own:
                    seen.add(key)
                    own[theme].append(_upper_first(p))
                    continue
                if (covered_by_figures and COUNT_ONLY.search(p)) or BOILERPLATE.match(p):
                    continue  # the count is in the report's figures for the whole area
                point, takes_subject = _unit_point(p)
                k2 = _norm(point)
                if not k2 or k2 in seen or len(k2.split()) < 3:
                    continue
                seen.add(key)
                seen.add(k2)
                merged[theme].append((point, takes_subject))
                kinds[theme].add(unit_kinds.get(unit, "commune"))
    out: dict[str, list[dict]] = {}
    for theme in THEMES:
        paras = []
        if own[theme]:
            paras.append({"unit": "", "text": _sentences(own[theme])})
        if merged[theme]:
            subject = subject_for(kinds[theme])
            with_subject = [p for p, s in merged[theme] if s]
            alone = [_upper_first(p) for p, s in merged[theme] if not s]
            bits = []
            if with_subject:
                lead = "Ở cơ sở, " if paras else ""
                bits.append(
                    f"{lead}{subject if lead else _upper_first(subject)} "
                    + "; ".join(_lower_first(p) for p in with_subject)
                    + "."
                )
            if alone:
                bits.append(_sentences(alone))
            paras.append({"unit": subject, "text": " ".join(bits)})
        out[theme] = paras
    return out


def _sentences(parts: list[str]) -> str:
    return " ".join(p if p.endswith(".") else p + "." for p in parts)


_CLAUSE = re.compile(r".+?(?:[.;:](?=\s|$)|$)")


def remove_repeats(body: str, min_words: int = 5, normalise=lambda t: t) -> str:
    """Drop a clause (between . ; :) that already appeared earlier in the report, word for word."""
    seen: set[str] = set()
    out_lines = []
    for line in body.splitlines():
        if line.startswith("#") or not line.strip():
            out_lines.append(line)
            continue
        kept = []
        for m in _CLAUSE.finditer(line):
            clause = m.group(0)
            key = _norm(normalise(clause))
            if len(key.split()) >= min_words and key in seen:
                continue
            if len(key.split()) >= min_words:
                seen.add(key)
            kept.append(clause)
        text = "".join(kept).strip()
        if text and text[-1] in ",;:" and not line.rstrip().endswith(":"):
            text = text[:-1] + "."
        if text:
            out_lines.append(_upper_first(text) if not text.startswith("- ") else text)
    return "\n".join(out_lines)
