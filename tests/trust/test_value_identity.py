"""Values are exact across every channel: export → import is the identity for every indicator type, through
the API (JSON numbers or dot-decimal strings), the API's CSV and the page's Excel template (property test)."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderdesk.reporting import excel, services
from borderdesk.reporting.api import api_value
from borderdesk.reporting.choices import ValueType
from borderdesk.reporting.models import Indicator, ReportForm

pytestmark = pytest.mark.django_db

DECIMALS = st.decimals(min_value=0, max_value=Decimal("99999999999"), places=4, allow_nan=False, allow_infinity=False)
INTEGERS = st.integers(min_value=0, max_value=10**12).map(Decimal)


@pytest.fixture
def report(users):
    from borderdesk.org.models import AdministrativeUnit

    ls = AdministrativeUnit.objects.get(name="Tỉnh Lạng Sơn")
    today = dt.date.today()
    form = ReportForm.objects.get(code="bc-6-thang")
    form.versions.update(lock_days=None)  # editable today, whatever the date
    sub = services.submission_get_or_create(
        user=users["vanphong.ls"], form=ReportForm.objects.get(code="bc-6-thang"), period_key=f"{today.year}H1", unit=ls
    )
    types = {}
    for ind in Indicator.objects.filter(code__in=sub.form_version.indicator_codes()).order_by("code"):
        types.setdefault(ind.value_type, ind.code)
    assert {ValueType.INTEGER, ValueType.DECIMAL} <= set(types)
    return sub, types


def _stored(sub):
    return {dv.indicator.code: dv.value for dv in sub.values.select_related("indicator")}


def _round_trips(client, user, sub):
    """Yield (channel, values after export → import) for each channel."""
    client.force_login(user)
    got = client.get(f"/api/reporting/dataValueSets?submission={sub.pk}").json()["dataValues"]
    r = client.post("/api/reporting/dataValueSets", {"dataValues": got}, content_type="application/json")
    assert r.status_code == 200, r.content
    yield "api-json", _stored(sub)
    csv_text = client.get(f"/api/reporting/dataValueSets?submission={sub.pk}&format=csv").content
    r = client.post("/api/reporting/dataValueSets.csv", csv_text, content_type="text/csv")
    assert r.status_code == 200, r.content
    yield "api-csv", _stored(sub)
    sub.refresh_from_db()
    excel.submission_import_xlsx(user=user, submission=sub, data=excel.submission_xlsx(sub))
    yield "excel", _stored(sub)


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(integer=INTEGERS, decimal=DECIMALS)
def test_export_then_import_is_the_identity(client, users, report, integer, decimal):
    sub, types = report
    user = users["vanphong.ls"]
    services.submission_save(
        user=user,
        submission=sub,
        values={types[ValueType.INTEGER]: {"value": integer}, types[ValueType.DECIMAL]: {"value": decimal}},
    )
    sub.refresh_from_db()
    expected = _stored(sub)
    assert expected[types[ValueType.DECIMAL]] == decimal and expected[types[ValueType.INTEGER]] == integer
    for channel, values in _round_trips(client, user, sub):
        assert values == expected, channel


@given(value=DECIMALS)
def test_api_value_reads_its_own_output_for_every_type(value):
    """The API's reading of the API's own writing (format(v.normalize(), "f")) is exact, whatever the type."""
    written = format(value.normalize(), "f")
    for vt in (ValueType.INTEGER, ValueType.DECIMAL, ValueType.PERCENT):
        assert api_value(Indicator(value_type=vt), written) == value
        assert api_value(Indicator(value_type=vt), value) == value
    assert api_value(Indicator(value_type=ValueType.TEXT), "12.345 hộ") == "12.345 hộ"
