"""One date-input convention (dd/mm/yyyy text boxes) and one decimal parser (core.vn.parse_number)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms

from borderdesk.core import inputs, vn

SRC = Path(__file__).resolve().parents[2] / "src" / "borderdesk"


class _Form(forms.Form):
    day = inputs.date_field(label="d")
    at = inputs.datetime_field(label="t", required=False)
    amount = inputs.decimal_field(label="n", max_digits=12, decimal_places=3, required=False)


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("24/6/2021", dt.date(2021, 6, 24)),
        ("24/06/2021", dt.date(2021, 6, 24)),
        ("2021-06-24", dt.date(2021, 6, 24)),
        ("24.06.2021", dt.date(2021, 6, 24)),
        ("02/01/2026", dt.date(2026, 1, 2)),  # day first, never month first
    ],
)
def test_dates_are_read_day_first(typed, expected):
    assert vn.parse_date(typed) == expected
    form = _Form({"day": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == expected


@pytest.mark.parametrize("typed", ["13/13/2021", "2021/06/24", "hôm qua", ""])
def test_bad_dates_are_refused(typed):
    with pytest.raises(ValueError):
        vn.parse_date(typed)
    assert not _Form({"day": typed}).is_valid()


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("1.700", Decimal("1700")),
        ("6,73", Decimal("6.73")),
        ("51.990,563", Decimal("51990.563")),
        ("1700.5", Decimal("1700.5")),
        ("-2", Decimal("-2")),
    ],
)
def test_decimals_are_read_the_vietnamese_way(typed, expected):
    form = _Form({"day": "01/01/2026", "amount": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == expected


def test_a_bad_number_is_a_form_error_not_a_crash():
    form = _Form({"day": "01/01/2026", "amount": "1,2,3"})
    assert not form.is_valid() and "amount" in form.errors


def test_widgets_show_the_vietnamese_format():
    form = _Form(
        initial={"day": dt.date(2026, 1, 5), "at": dt.datetime(2026, 1, 5, 8, 30), "amount": Decimal("1700.500")}
    )
    html = str(form)
    assert 'value="05/01/2026"' in html and 'value="05/01/2026 08:30"' in html and 'value="1.700,5"' in html
    assert 'type="date"' not in html and 'type="number"' not in html and 'placeholder="dd/mm/yyyy"' in html
    # What the widget shows reads back as the same value (no 1.500 → 1500 surprise).
    assert vn.parse_number("1.700,5") == Decimal("1700.5")


def test_registry_forms_follow_the_convention():
    from borderdesk.gates.forms import GateDailyStatForm

    form = GateDailyStatForm()
    assert isinstance(form.fields["date"].widget, inputs.DateInput)
    decimals = [f for f in form.fields.values() if isinstance(f, forms.DecimalField)]
    assert decimals and all(isinstance(f.widget, inputs.DecimalInput) for f in decimals)


def test_no_other_date_input_or_decimal_parser_in_src():
    pattern = re.compile(
        r"""type=["']date|["']type["']:\s*["']date|datetime-local|"""
        r"""replace\(["']\.["'], ["']["']\)\.replace\(["'],["'], ["']\.["']\)"""
    )
    offenders = []
    for path in SRC.rglob("*"):
        if path.suffix in (".py", ".html", ".js") and "migrations" not in path.parts:
            for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if pattern.search(line):
                    offenders.append(f"{path.relative_to(SRC)}:{lineno}")
    assert offenders == []


@pytest.mark.django_db
def test_api_and_file_imports_keep_machine_decimals(users):
    """JSON sends "21.845" (a latitude): it must not be read as the Vietnamese 21.845 = 21845."""
    from borderdesk.core.registry.forms import bound_form
    from borderdesk.gates.forms import BorderGateForm
    from borderdesk.gates.models import BorderGate

    gate = BorderGate.objects.get(code="huu-nghi")
    form = bound_form(BorderGateForm, user=users["vanphong.ls"], data={"latitude": "21.845"}, instance=gate)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["latitude"] == Decimal("21.845")
