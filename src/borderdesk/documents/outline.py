"""Report outlines: templates the standing office edits, in a restricted Django template language.

An outline is text. Lines starting "# ", "## ", "### " are headings (I. / 1. / a)), "- " lines are
items, other lines paragraphs. Placeholders come from a fixed schema (`SCHEMA`): an unknown
placeholder or broken syntax is refused on save with a Vietnamese message giving the line.

A figure that has no value renders as a marker; the line holding it is dropped from the report (and
listed as a warning), so a sentence never reads "đạt ," or compares with a missing base.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import FilterExpression, Node, TextNode, Variable, VariableNode
from django.template.defaulttags import FirstOfNode, ForNode, IfNode, WithNode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from borderdesk.core.errors import ApplicationError

MISSING = "\u2063⟦thiếu số liệu⟧\u2063"
LEAF = "leaf"
ANY = "*"

FIGURE = {
    k: LEAF
    for k in (
        "value",
        "full",
        "compare",
        "plan",
        "has",
        "name",
        "unit",
        "count",
        "raw",
        "previous",
        "missing_units",
        "source",
    )
}
DIRECTIVE_TASK = {k: LEAF for k in ("title", "owner", "deadline", "status", "done_on")}
DIRECTIVE_ROW = {
    "conference": LEAF,
    "date": LEAF,
    "number": LEAF,
    "text": LEAF,
    "status_text": LEAF,
    "convener": LEAF,
    "tasks": [DIRECTIVE_TASK],
}
SCHEMA = {
    "committee": {
        k: LEAF for k in ("name", "code", "place_name", "parent_body", "abbreviation", "province", "standing_office")
    },
    "period": {
        k: LEAF for k in ("label", "key", "year", "start", "end", "window", "next_label", "previous_label", "next_year")
    },
    "report_date": LEAF,
    "f": ANY,  # f.<INDICATOR_CODE>.<field of FIGURE>; codes are checked against the catalogue
    "narratives": {ANY: [{"unit": LEAF, "text": LEAF}]},
    "commendations": {
        "text": LEAF,
        "has": LEAF,
        "total_collectives": LEAF,
        "total_individuals": LEAF,
        "rows": [{k: LEAF for k in ("kind", "issuer", "collectives", "individuals", "text")}],
    },
    "directives": {
        "has": LEAF,
        "text": LEAF,
        "stats": {k: LEAF for k in ("total", "done_on_time", "done_late", "open_in_term", "overdue", "text")},
        "rows": [DIRECTIVE_ROW],
        "party_rows": [DIRECTIVE_ROW],
    },
    "conferences": [{k: LEAF for k in ("title", "date", "chair", "kind", "convener")}],
    "agreements": {
        "has": LEAF,
        "rows": [{k: LEAF for k in ("title", "year", "parties", "signed_on", "review_date", "events", "summary")}],
    },
    "missing_units": [LEAF],
    "assessment": [LEAF],
    "proposals": [LEAF],
    "directions": {"label": LEAF, "rows": [LEAF]},
}
FORLOOP = {k: LEAF for k in ("counter", "counter0", "revcounter", "revcounter0", "first", "last")}


@cache
def indicator_codes() -> frozenset[str]:
    """Indicator codes the outline may name: the reporting catalogue (and its database, when present)."""
    codes: set[str] = set()
    path = Path(__file__).resolve().parent.parent / "reporting" / "data" / "indicators.csv"
    if path.exists():
        with open(path, encoding="utf-8", newline="") as fh:
            codes |= {row["code"].strip() for row in csv.DictReader(fh) if row.get("code")}
    return frozenset(codes)


def _known_codes() -> frozenset[str]:
    codes = set(indicator_codes())
    try:
        from borderdesk.reporting.models import Indicator  # noqa: PLC0415

        codes |= set(Indicator.objects.values_list("code", flat=True))
    except Exception:  # noqa: BLE001 - the reporting app may not be installed or migrated
        pass
    return frozenset(codes)


class _Engine(Engine):
    default_builtins: list[str] = []


ENGINE = _Engine(debug=True, autoescape=False, loaders=[], libraries={}, builtins=["borderdesk.documents.outline_lib"])


@dataclass
class OutlineProblem:
    line: int | None
    message: str

    def __str__(self) -> str:
        return _("Dòng %(l)s: %(m)s") % {"l": self.line, "m": self.message} if self.line else self.message


def _line_of(node) -> int | None:
    token = getattr(node, "token", None)
    return getattr(token, "lineno", None)


class _Checker:
    def __init__(self, codes: frozenset[str]):
        self.codes = codes
        self.problems: list[OutlineProblem] = []

    def lookup(self, var: Variable, scope: dict, line):
        if var is None or getattr(var, "lookups", None) is None:
            return None
        lookups = var.lookups
        name = ".".join(lookups)
        root = lookups[0]
        if root not in scope:
            self.problems.append(
                OutlineProblem(
                    line,
                    _("trường “%(n)s” không tồn tại (các trường dùng được: %(k)s).") % {"n": name, "k": _quoted(scope)},
                )
            )
            return None
        node = scope[root]
        for i, part in enumerate(lookups[1:], start=1):
            path = ".".join(lookups[:i])
            if root == "f" and i == 1:
                if part not in self.codes:
                    self.problems.append(
                        OutlineProblem(
                            line,
                            _("chỉ tiêu “%(c)s” không có trong danh mục chỉ tiêu (trong “%(n)s”).")
                            % {"c": part, "n": name},
                        )
                    )
                    return None
                node = FIGURE
                continue
            if isinstance(node, list):
                if part.isdigit():
                    node = node[0]
                    continue
                self.problems.append(
                    OutlineProblem(
                        line,
                        _("“%(p)s” là một danh sách; hãy dùng {%% for %%} (trong “%(n)s”).") % {"p": path, "n": name},
                    )
                )
                return None
            if node == LEAF or node == ANY:
                if node == ANY:
                    return ANY
                self.problems.append(
                    OutlineProblem(line, _("“%(p)s” không có trường con “%(c)s”.") % {"p": path, "c": part})
                )
                return None
            if part in node:
                node = node[part]
            elif ANY in node:
                node = node[ANY]
            else:
                self.problems.append(
                    OutlineProblem(
                        line,
                        _("“%(p)s” không có trường “%(c)s” (có: %(k)s).") % {"p": path, "c": part, "k": _quoted(node)},
                    )
                )
                return None
        return node

    def expr(self, fe: FilterExpression, scope, line):
        if fe is None:
            return None
        result = self.lookup(fe.var if isinstance(fe.var, Variable) else None, scope, line)
        for _func, args in fe.filters:
            for is_lookup, arg in args:
                if is_lookup:
                    self.lookup(arg, scope, line)
        return result if not fe.filters else LEAF

    def condition(self, cond, scope, line):
        if cond is None:
            return
        if hasattr(cond, "value") and isinstance(getattr(cond, "value", None), FilterExpression):
            self.expr(cond.value, scope, line)
        for attr in ("first", "second"):
            sub = getattr(cond, attr, None)
            if sub is not None:
                self.condition(sub, scope, line)

    def nodes(self, nodelist, scope):
        for node in nodelist:
            self.node(node, scope)

    def node(self, node: Node, scope: dict):
        line = _line_of(node)
        if isinstance(node, TextNode):
            return
        if isinstance(node, VariableNode):
            self.expr(node.filter_expression, scope, line)
        elif isinstance(node, IfNode):
            for cond, nodelist in node.conditions_nodelists:
                self.condition(cond, scope, line)
                self.nodes(nodelist, scope)
        elif isinstance(node, ForNode):
            seq = self.expr(node.sequence, scope, line)
            item = seq[0] if isinstance(seq, list) and seq else (ANY if seq == ANY else LEAF)
            if isinstance(seq, dict):
                item = LEAF
            inner = dict(scope)
            inner["forloop"] = FORLOOP
            if len(node.loopvars) == 1:
                inner[node.loopvars[0]] = item
            else:
                for v in node.loopvars:
                    inner[v] = item if isinstance(item, dict) else LEAF
            self.nodes(node.nodelist_loop, inner)
            self.nodes(node.nodelist_empty, scope)
        elif isinstance(node, WithNode):
            inner = dict(scope)
            for name, fe in node.extra_context.items():
                inner[name] = self.expr(fe, scope, line) or LEAF
            self.nodes(node.nodelist, inner)
        elif isinstance(node, FirstOfNode):
            for fe in node.vars:
                self.expr(fe, scope, line)
        else:
            for attr in getattr(node, "child_nodelists", ()):
                self.nodes(getattr(node, attr, None) or [], scope)


def check_outline(source: str, *, field_label: str = "") -> list[OutlineProblem]:
    """Problems in an outline (syntax first, then unknown placeholders); [] when it is fine."""
    try:
        template = ENGINE.from_string(source)
    except TemplateSyntaxError as exc:
        info = getattr(exc, "template_debug", None) or {}
        message = _translate_syntax(str(exc))
        return [OutlineProblem(info.get("line"), _("lỗi cú pháp: %s") % message)]
    checker = _Checker(_known_codes())
    checker.nodes(template.nodelist, dict(SCHEMA))
    return checker.problems


#: Django's syntax errors (English) as the editor reads them: (pattern, message); the first that matches wins
_SYNTAX_MESSAGES = [
    (
        r"Invalid block tag on line (?P<l>\d+): '(?P<t>[^']+)', expected (?P<e>.+?)\. Did you forget.*",
        gettext_lazy("thẻ “%(t)s” không đúng chỗ ở dòng %(l)s (cần %(e)s trước)."),
    ),
    (
        r"Invalid block tag on line (?P<l>\d+): '(?P<t>[^']+)'\. Did you forget.*",
        gettext_lazy("thẻ “%(t)s” ở dòng %(l)s không dùng được. Chỉ dùng được các thẻ “if”, “for”, “with”, “firstof”."),
    ),
    (
        r"Unclosed tag on line (?P<l>\d+): '(?P<t>[^']+)'\. Looking for one of: (?P<e>.+?)\.?$",
        gettext_lazy("thẻ “%(t)s” ở dòng %(l)s chưa được đóng (cần một trong các thẻ: %(e)s)."),
    ),
    (
        r"'for' statements should .*",
        gettext_lazy("thẻ “for” viết chưa đúng; ví dụ đúng: “{%% for p in narratives.general %%}…{%% endfor %%}”."),
    ),
    (
        r"Unexpected end of expression in if tag\.?",
        gettext_lazy("thẻ “if” thiếu điều kiện; ví dụ đúng: “{%% if commendations.has %%}…{%% endif %%}”."),
    ),
    (r"Unused '(?P<w>[^']+)' at end of if expression\.?", gettext_lazy("thừa “%(w)s” ở cuối điều kiện của thẻ “if”.")),
    (
        r"'with' expected at least one variable assignment",
        gettext_lazy(
            "thẻ “with” cần đặt ít nhất một tên; ví dụ đúng: “{%% with n=commendations.total_collectives %%}”."
        ),
    ),
    (r"'(?P<t>\w+)' (?:statement|tag) (?:requires|takes) .*", gettext_lazy("thẻ “%(t)s” thiếu hoặc thừa tham số.")),
    (r"Invalid filter: '(?P<f>[^']+)'", gettext_lazy("bộ lọc “%(f)s” không dùng được.")),
    (
        r"Could not parse the remainder: '(?P<r>[^']*)' from '(?P<v>[^']*)'",
        gettext_lazy("không đọc được “%(r)s” trong “%(v)s”."),
    ),
    (r"Empty variable tag on line (?P<l>\d+)", gettext_lazy("ô trống “{{ }}” ở dòng %(l)s.")),
]


def _translate_syntax(message: str) -> str:
    """A template syntax error in the editor's words; one the table does not know: a plain Vietnamese sentence
    (Django's English is never shown to the office)."""
    for pattern, text in _SYNTAX_MESSAGES:
        found = re.fullmatch(pattern, message.strip(), flags=re.S)
        if found:
            return str(text) % {k: _quote_list(v) if k == "e" else v for k, v in found.groupdict().items()}
    return _("một thẻ {%% … %%} hoặc một trường {{ … }} viết chưa đúng.")


def _quote_list(words: str) -> str:
    names = [w.strip().strip("'") for w in words.split(",")]
    return ", ".join(f"“{n}”" for n in names if n)


#: an outline's parts as the editor names them (a problem says where it is: "Đề cương: Dòng 2: …")
FIELD_LABELS = {
    "summary": gettext_lazy("Trích yếu"),
    "body": gettext_lazy("Đề cương"),
    "recipients": gettext_lazy("Nơi nhận"),
}


def _quoted(names) -> str:
    return ", ".join(f"“{n}”" for n in sorted(names) if n != ANY)


def outline_problems(exc: ApplicationError) -> list[str]:
    """An outline's problems as the editor lists them, each after its part's label (never the field's name)."""
    found = [f"{FIELD_LABELS[k]}: {m}" if k in FIELD_LABELS else str(m) for k, v in exc.field_errors.items() for m in v]
    return found or [str(exc.message)]


def validate_outline(**sources: str) -> None:
    """Raise ApplicationError listing every problem of the given named sources (summary=..., body=...)."""
    fields, messages = {}, []
    for name, source in sources.items():
        problems = check_outline(source or "")
        if problems:
            fields[name] = [str(p) for p in problems]
            messages += [f"{FIELD_LABELS.get(name, name)}: {p}" for p in problems]
    if messages:
        raise ApplicationError(
            _("Mẫu đề cương có lỗi — %s") % "; ".join(messages), field_errors=fields, code="invalid_template"
        )


def render_outline(source: str, context: dict) -> tuple[str, list[str]]:
    """Render an (already validated) outline; lines with a missing figure are dropped and reported."""
    problems = check_outline(source)
    if problems:
        raise ApplicationError(
            _("Mẫu đề cương có lỗi — %s") % "; ".join(str(p) for p in problems), code="invalid_template"
        )
    text = ENGINE.from_string(source).render(Context(context, autoescape=False))
    kept, dropped = [], []
    for line in text.splitlines():
        if MISSING in line:
            dropped.append(line.replace(MISSING, "…").strip())
        else:
            kept.append(line)
    return "\n".join(kept), dropped
