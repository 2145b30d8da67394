"""Reference data for an office starting for real: the sourced gazetteer (administrative units with their
2025 successions, agencies) and the reporting catalogue and forms — no accounts, reports or other
demonstration records. The administrator then creates the standing office's account, which creates the
rest (`accounts`)."""

from __future__ import annotations

from django.db import transaction

from .loader import _Units, database_is_empty, load_agencies, load_successions, load_units


@transaction.atomic
def load_reference() -> dict:
    if not database_is_empty():
        raise RuntimeError(
            "Cơ sở dữ liệu đã có đơn vị hành chính; chỉ nạp danh mục tham chiếu vào cơ sở dữ liệu trống."
        )
    index = _Units()
    load_units(index)
    load_successions(index)
    agencies = load_agencies(index)
    from borderdesk.org.models import AdministrativeUnit

    result = {"units": AdministrativeUnit.objects.count(), "agencies": len(agencies)}
    from borderdesk.reporting import demo_forms, services

    result["indicators"] = sum(services.catalogue_load().values())
    result["forms"] = len(demo_forms.create_forms(None))
    return result
