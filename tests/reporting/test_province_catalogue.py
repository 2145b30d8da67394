"""A province's own indicators and forms: its standing office adds and publishes them, inside its province only;
the national catalogue and national forms stay the administrator's (core.permissions: PROVINCIAL / NATIONAL)."""

from __future__ import annotations

import json

import pytest

from borderdesk.core.errors import ApplicationError, PermissionDeniedError
from borderdesk.core.models import ChangeLogEntry
from borderdesk.reporting import catalogue, services
from borderdesk.reporting.models import Indicator, ReportForm
from borderdesk.reporting.province_forms import form_copy_for_province

pytestmark = pytest.mark.django_db
NIGHT = {"code": "PATROLS_NIGHT_LS", "name_vi": "Số lượt tuần tra ban đêm", "unit": "lượt"}


def test_office_adds_its_province_indicator_and_publishes_its_form(users, unit):
    ls, sl = unit("Tỉnh Lạng Sơn"), unit("Tỉnh Sơn La")
    ind = catalogue.indicator_save(user=users["vanphong.ls"], data=NIGHT)
    assert ind.province == ls
    assert ChangeLogEntry.objects.filter(object_id=str(ind.pk), action="create").exists()
    with pytest.raises(PermissionDeniedError):  # Sơn La's office cannot edit Lạng Sơn's
        catalogue.indicator_save(user=users["vanphong.sl"], instance=ind, data={"unit": "lần"})
    catalogue.indicator_save(user=users["admin"], instance=ind, data={"name_en": "Night patrols"})

    national = ReportForm.objects.get(code="bc-xa-thang")
    v1 = form_copy_for_province(user=users["vanphong.ls"], code="bc-xa-thang")
    form = v1.form
    assert form.code == "bc-xa-thang-lang-son" and form.province == ls and v1.number == 1
    assert v1.sections == national.current_version().sections
    assert national.current_version().number == national.versions.count()  # untouched
    with pytest.raises(ApplicationError):  # only once
        form_copy_for_province(user=users["vanphong.ls"], code="bc-xa-thang")
    # reporters: Lạng Sơn's border communes and stations only, by id
    dd = unit("Xã Đồng Đăng")
    spec = v1.reporter_spec
    assert dd.pk in spec["units"] and "unit_kinds" not in spec
    from borderdesk.org.models import AdministrativeUnit, Agency

    assert not AdministrativeUnit.objects.filter(pk__in=spec["units"]).exclude(path__startswith=ls.path).exists()
    assert not Agency.objects.filter(pk__in=spec["agencies"]).exclude(unit__path__startswith=ls.path).exists()
    assert Agency.objects.get(name="Đồn Biên phòng Cửa khẩu quốc tế Hữu Nghị").pk in spec["agencies"]

    sections = [*v1.sections, {"code": "night", "title": "Tuần tra ban đêm", "indicators": [ind.code]}]
    with pytest.raises(PermissionDeniedError):  # another province's office
        catalogue.form_publish(user=users["vanphong.sl"], code=form.code, sections=sections)
    with pytest.raises(PermissionDeniedError):  # a reporter
        catalogue.form_publish(user=users["baocao.dongdang"], code=form.code, sections=sections)
    with pytest.raises(ApplicationError) as exc:  # a national form never uses a province's indicator
        catalogue.form_publish(user=users["admin"], code="bc-xa-thang", sections=sections)
    assert ind.code in str(exc.value.message)
    v2 = catalogue.form_publish(user=users["vanphong.ls"], code=form.code, sections=sections, expected_number=1)
    assert v2.number == 2 and ind.code in v2.indicator_codes()
    # a Lạng Sơn commune reports on v2; a Sơn La one is not a reporter of Lạng Sơn's form
    sub = services.submission_create(user=users["baocao.dongdang"], form=form, period_key="2026M02", unit=dd)
    assert sub.form_version == v2
    sl_commune = AdministrativeUnit.objects.filter(path__startswith=sl.path, kind="commune", is_border=True).first()
    with pytest.raises(ApplicationError):
        services.submission_create(user=users["admin"], form=form, period_key="2026M02", unit=sl_commune)


def test_sections_refuse_another_provinces_indicator(users):
    sl_ind = catalogue.indicator_save(user=users["vanphong.sl"], data={**NIGHT, "code": "SL_ONLY"})
    v1 = form_copy_for_province(user=users["vanphong.ls"], code="bc-xa-thang")
    with pytest.raises(ApplicationError) as exc:
        catalogue.form_publish(
            user=users["vanphong.ls"],
            code=v1.form.code,
            sections=[*v1.sections, {"title": "X", "indicators": [sl_ind.code]}],
        )
    assert "SL_ONLY" in str(exc.value.message)


def test_pages_and_api_follow_the_province(client, users, unit):
    client.force_login(users["vanphong.ls"])
    r = client.post("/bao-cao/chi-tieu/them/", {**NIGHT, "value_type": "integer", "aggregation": "sum"})
    assert r.status_code == 302 and Indicator.objects.get(code=NIGHT["code"]).province == unit("Tỉnh Lạng Sơn")
    assert client.get("/bao-cao/chi-tieu/PATROLS_TOTAL/sua/").status_code == 404  # national
    assert client.get(f"/bao-cao/chi-tieu/{NIGHT['code']}/sua/").status_code == 200
    r = client.post("/bao-cao/bieu-mau/bc-xa-thang/cua-tinh/")
    assert r.status_code == 302 and r.url.endswith("/bao-cao/bieu-mau/bc-xa-thang-lang-son/")
    assert client.get("/bao-cao/bieu-mau/bc-xa-thang-lang-son/phien-ban-moi/").status_code == 200
    page = client.get("/bao-cao/bieu-mau/bc-xa-thang-lang-son/").content.decode()
    assert "Soạn phiên bản mới" in page and "Biểu mẫu riêng của Tỉnh Lạng Sơn" in page
    client.force_login(users["vanphong.sl"])
    assert client.get("/bao-cao/bieu-mau/bc-xa-thang-lang-son/phien-ban-moi/").status_code == 404
    assert client.get(f"/bao-cao/chi-tieu/{NIGHT['code']}/sua/").status_code == 404
    r = client.post(
        "/api/reporting/forms/bc-xa-thang-lang-son/versions",
        data=json.dumps({"name": "x"}),
        content_type="application/json",
    )
    assert r.status_code == 403
    r = client.post("/api/reporting/forms/bc-xa-thang/province-copy", data="{}", content_type="application/json")
    assert r.status_code == 201 and r.json()["province"] == unit("Tỉnh Sơn La").pk
    r = client.post(
        "/api/reporting/indicators",
        data=json.dumps({"code": "SL_NIGHT", "name_vi": "Tuần tra đêm"}),
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["province"] == unit("Tỉnh Sơn La").pk
    assert client.get("/api/reporting/indicators/PATROLS_TOTAL").json()["province"] is None
    client.force_login(users["baocao.dongdang"])
    r = client.post("/api/reporting/forms/bc-xa-thang/province-copy", data="{}", content_type="application/json")
    assert r.status_code in (400, 403)
    assert client.post("/bao-cao/bieu-mau/bc-xa-thang/cua-tinh/").status_code == 404


def test_the_province_form_replaces_the_national_one_for_its_reporters(users, unit):
    """A Lạng Sơn commune reports once a month: on its province's form once it exists, not on both."""
    import datetime as dt

    from borderdesk.core.periods import parse_period
    from borderdesk.org.models import AdministrativeUnit
    from borderdesk.reporting import reporters, worklist

    ls, sl = unit("Tỉnh Lạng Sơn"), unit("Tỉnh Sơn La")
    dd = unit("Xã Đồng Đăng")
    national = ReportForm.objects.get(code="bc-xa-thang")
    nv = national.current_version()
    month = parse_period("2026M12")  # ends after today: the province form (made today) applies
    before = reporters.expected_reporters(paths=[ls.path, sl.path], period=month, versions=[nv])
    assert ("u", dd.pk) in before
    copy = form_copy_for_province(user=users["vanphong.ls"], code="bc-xa-thang").form
    assert copy.replaces == national
    assert ChangeLogEntry.objects.filter(object_id=str(copy.pk), action="update").exists()
    after = reporters.expected_reporters(paths=[ls.path, sl.path], period=month, versions=[nv])
    ls_keys = {k for k, r in before.items() if r["path"].startswith(ls.path)}
    assert ls_keys and not (ls_keys & set(after))  # Lạng Sơn's reporters moved
    assert {k for k in before if k not in ls_keys} == set(after)  # Sơn La's stay on the national form
    ours = reporters.expected_reporters(paths=[ls.path], period=month, versions=[copy.current_version()])
    assert ls_keys <= set(ours)
    # periods before the province form existed still expect them on the national form
    old = reporters.expected_reporters_by_period(
        paths=[ls.path], periods=[parse_period("2026M01"), month], versions=[nv]
    )
    assert ("u", dd.pk) in old[0] and ("u", dd.pk) not in old[1]
    # from then on a new national report is refused and the province's form is the one to open; a month that
    # ended before the province form existed is still the national form's
    with pytest.raises(ApplicationError):
        services.submission_create(user=users["baocao.dongdang"], form=national, period_key="2026M12", unit=dd)
    assert services.submission_create(user=users["baocao.dongdang"], form=copy, period_key="2026M12", unit=dd)
    assert services.submission_create(user=users["baocao.dongdang"], form=national, period_key="2026M10", unit=dd)
    sl_commune = AdministrativeUnit.objects.filter(path__startswith=sl.path, kind="commune", is_border=True).first()
    assert services._reporter_allowed(nv, sl_commune, None)
    # the work list: the coming December report is the province form's, not the national one's
    items, _used = worklist._reporter_items(users["baocao.dongdang"], dt.date(2026, 12, 10), worklist._versions())
    december = [i for i in items if i.kind == "reminder"]
    assert december and {i.title for i in december} == {copy.name}
