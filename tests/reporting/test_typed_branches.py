"""The branches rewritten for the type check (issue 16): a reporting agency's approval chain and subtree,
rewritten for the type check. They must behave as before the rewrite."""

from __future__ import annotations

import pytest

from borderdesk.org.models import Agency
from borderdesk.reporting import window, workflow
from borderdesk.reporting.models import Submission

pytestmark = pytest.mark.django_db

BORDER_GUARD = "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Lạng Sơn"


def test_agency_submission_chain_and_subtree():
    bg = Agency.objects.get(name=BORDER_GUARD)
    sub = Submission.objects.get(agency=bg, period_key="2023")
    top = sub.form_version.approval_top_kind
    expected = bg.unit
    while expected.parent_id and expected.kind not in (top, "country"):
        expected = expected.parent
    assert workflow._approval_chain(sub) == [expected]
    unit_ids, agency_ids = window.subtree_ids_for(submission=sub)
    assert unit_ids == frozenset({bg.unit_id})
    assert bg.pk in agency_ids
    assert set(Agency.objects.filter(parent=bg).values_list("pk", flat=True)) <= agency_ids


def test_unit_submission_chain_starts_at_its_unit():
    sub = Submission.objects.filter(unit__isnull=False).select_related("unit").order_by("pk").first()
    chain = workflow._approval_chain(sub)
    top = sub.form_version.approval_top_kind
    assert chain and (chain == [sub.unit] or chain[0] == sub.unit.parent)
    assert chain[-1].kind in (top, "country") or chain[-1].parent_id is None
    unit_ids, _agency_ids = window.subtree_ids_for(submission=sub)
    assert sub.unit_id in unit_ids
