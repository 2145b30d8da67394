"""One scope rule: ``Scope.admits`` (decided in Python on a loaded row, as a save does) and ``Scope.q_for`` (the
filter every list, page and export uses) agree, for every scoped model the project registers, every demo account
and every action, on rows sampled from the demo data (each model's rows in and out of scope)."""

from __future__ import annotations

from collections import Counter

import pytest
from django.apps import apps

from borderdesk.core.errors import NotFoundError
from borderdesk.core.scoping import EVERYTHING, NO_SCOPE, Action, Scope, require_loaded_in_scope, scope_for

pytestmark = pytest.mark.django_db

SAMPLE = 60


def _scoped_models():
    return [
        m
        for m in apps.get_models()
        if getattr(m, "scope_unit_field", None) is not None or getattr(m, "scope_agency_field", None) is not None
    ]


def _hops(model) -> list[str]:
    """The relations a scope path goes through (read with the sample, so that deciding costs no statement)."""
    paths = [getattr(model, "scope_unit_field", None), getattr(model, "scope_agency_field", None)]
    return sorted({p.rsplit("__", 1)[0] for p in paths if p and "__" in p})


def _sample(model) -> list:
    pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
    step = max(1, len(pks) // SAMPLE)
    return list(model._default_manager.select_related(*_hops(model)).filter(pk__in=pks[::step]).order_by("pk"))


def test_every_scoped_model_is_covered():
    names = {m._meta.label for m in _scoped_models()}
    # the models whose scope fields are not plain foreign keys: the object itself, a column, a path
    assert {"org.AdministrativeUnit", "org.Agency", "core.ChangeLogEntry", "reporting.Submission"} <= names


def test_admits_and_q_for_agree_for_every_scoped_model_role_and_action(users):
    seen: Counter = Counter()
    disagreements = []
    scopes = {(u, a): scope_for(user, a) for u, user in users.items() for a in Action.ALL}
    for model in _scoped_models():
        rows = _sample(model)
        if not rows:
            continue
        pks = [r.pk for r in rows]
        for scope in {*scopes.values(), EVERYTHING}:
            if scope.empty:
                continue
            in_db = set(
                model._default_manager.filter(pk__in=pks).filter(scope.q_for(model)).values_list("pk", flat=True)
            )
            in_python = {r.pk for r in rows if scope.admits(r)}
            if in_db != in_python:
                disagreements.append(
                    f"{model._meta.label}: only q_for {sorted(in_db - in_python)[:5]}, "
                    f"only admits {sorted(in_python - in_db)[:5]}"
                )
            if not scope.everything:
                seen[model._meta.label, "in"] += bool(in_db)
                seen[model._meta.label, "out"] += len(in_db) < len(pks)
    assert not disagreements, "\n".join(disagreements)
    # the comparison is not empty: for most models some role sees part of the sample and not the rest
    both = {label for (label, side) in seen if seen[label, "in"] and seen[label, "out"]}
    assert len(both) >= 20, sorted(both)


def test_an_empty_scope_admits_nothing_and_everything_admits_all(users):
    from borderdesk.org.models import AdministrativeUnit

    unit = AdministrativeUnit.objects.first()
    assert EVERYTHING.admits(unit) and not NO_SCOPE.admits(unit)
    assert Scope(unit_ids=frozenset({unit.pk})).admits(unit)
    assert not Scope(agency_ids=frozenset({unit.pk})).admits(unit)  # a unit has no agency side


def test_require_loaded_in_scope_uses_the_rule_on_a_column_scoped_row(users):
    """The change log is scoped on two plain columns (``unit_id``, ``agency_id``), not foreign keys."""
    from borderdesk.core.models import ChangeLogEntry

    entry = ChangeLogEntry.objects.exclude(unit_id=None).order_by("pk").first()
    reporter = users["baocao.dongdang"]
    visible = ChangeLogEntry.objects.for_user(reporter, Action.AUDIT).filter(pk=entry.pk).exists()
    if visible:
        assert require_loaded_in_scope(entry, reporter, Action.AUDIT) is entry
    else:
        with pytest.raises(NotFoundError):
            require_loaded_in_scope(entry, reporter, Action.AUDIT)
    assert require_loaded_in_scope(entry, users["admin"], Action.AUDIT) is entry
