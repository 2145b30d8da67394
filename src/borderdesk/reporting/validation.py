"""Validation rules: safe arithmetic expressions over indicator codes (no eval), and outlier checks."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from borderdesk.core.vn import format_number

_GROUP_RE = re.compile(r"group:([A-Za-z_][A-Za-z0-9_]*)")
_OPS = {
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}
OUTLIER_FACTOR = Decimal(3)


class _Missing(Exception):
    pass


def parse_expression(text: str) -> ast.AST:
    """Parse ``text`` into an AST of numbers, indicator codes, group sums, + - * / and parentheses."""
    if not text or not text.strip():
        raise ValueError(_("Biểu thức trống."))
    source = _GROUP_RE.sub(lambda m: f"__group__{m.group(1)}", text.strip())
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError:
        raise ValueError(_("Biểu thức không hợp lệ: %s") % text) from None
    for node in ast.walk(tree):
        if not isinstance(
            node,
            ast.Expression
            | ast.BinOp
            | ast.UnaryOp
            | ast.Constant
            | ast.Name
            | ast.Load
            | ast.Add
            | ast.Sub
            | ast.Mult
            | ast.Div
            | ast.USub
            | ast.UAdd,
        ):
            raise ValueError(_("Biểu thức chỉ được dùng mã chỉ tiêu, số và + - * /: %s") % text)
        if isinstance(node, ast.Constant) and not isinstance(node.value, int | float):
            raise ValueError(_("Hằng số không hợp lệ trong biểu thức: %s") % text)
    return tree


def expression_codes(text: str) -> set[str]:
    tree = parse_expression(text)
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and not n.id.startswith("__group__")}


def evaluate(text: str, values: dict[str, Decimal | None], groups: dict[str, list[str]] | None = None) -> Decimal:
    """Value of the expression; raises ``_Missing`` when a referenced value is blank."""
    tree = parse_expression(text)
    groups = groups or {}

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant):
            return Decimal(str(node.value))
        if isinstance(node, ast.Name):
            if node.id.startswith("__group__"):
                codes = groups.get(node.id.removeprefix("__group__"), [])
                present = [values[c] for c in codes if values.get(c) is not None]
                if not present:
                    raise _Missing(node.id)
                return sum(present, Decimal(0))
            v = values.get(node.id)
            if v is None:
                raise _Missing(node.id)
            return Decimal(v)
        if isinstance(node, ast.UnaryOp):
            v = ev(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        a, b = ev(node.left), ev(node.right)
        if isinstance(node.op, ast.Add):
            return a + b
        if isinstance(node.op, ast.Sub):
            return a - b
        if isinstance(node.op, ast.Mult):
            return a * b
        if b == 0:
            raise _Missing("division by zero")
        return a / b

    return ev(tree)


@dataclass
class Finding:
    severity: str  # "error" | "warning"
    message: str
    codes: list[str] = field(default_factory=list)
    rule_id: int | None = None


def run_rules(rules, values: dict[str, Decimal | None], groups: dict[str, list[str]] | None = None) -> list[Finding]:
    out = []
    for rule in rules:
        codes = sorted(expression_codes(rule.left) | expression_codes(rule.right))
        try:
            left = evaluate(rule.left, values, groups)
            right = evaluate(rule.right, values, groups)
        except _Missing:
            if rule.skip_when_missing:
                continue
            out.append(
                Finding(
                    rule.severity,
                    _("%(name)s: thiếu số liệu để kiểm tra (%(rule)s).") % {"name": rule.name, "rule": rule},
                    codes,
                    rule.pk,
                )
            )
            continue
        if not _OPS[rule.operator](left, right):
            msg = rule.message or _("%(name)s: không thỏa mãn %(rule)s") % {
                "name": rule.name,
                "rule": f"{rule.left} {rule.operator} {rule.right}",
            }
            out.append(
                Finding(rule.severity, f"{msg} ({format_number(left)} / {format_number(right)}).", codes, rule.pk)
            )
    return out


def outlier_findings(
    values: dict[str, Decimal | None], history: dict[str, Decimal], names: dict[str, str]
) -> list[Finding]:
    """Warn when a value is more than 3× the same period last year (or under a third of it)."""
    out = []
    for code, v in values.items():
        base = history.get(code)
        if v is None or base is None or base <= 0:
            continue
        if v > base * OUTLIER_FACTOR:
            out.append(
                Finding(
                    "warning",
                    _("%(name)s: gấp hơn 3 lần cùng kỳ năm trước (%(v)s so với %(base)s); hãy ghi chú giải thích.")
                    % {"name": names.get(code, code), "v": format_number(v), "base": format_number(base)},
                    [code],
                )
            )
        elif v * OUTLIER_FACTOR < base:
            out.append(
                Finding(
                    "warning",
                    _(
                        "%(name)s: chưa bằng một phần ba cùng kỳ năm trước (%(v)s so với "
                        "%(base)s); hãy ghi chú giải thích."
                    )
                    % {"name": names.get(code, code), "v": format_number(v), "base": format_number(base)},
                    [code],
                )
            )
    return out
