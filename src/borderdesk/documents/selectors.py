"""Reads of the documents app for a user (views and the API call these, never the ORM directly)."""

from __future__ import annotations

from borderdesk.core.collation import vi_order
from borderdesk.org.models import Agency


def report_agencies(*, committees):
    """Member agencies located in the provinces of `committees` (already narrowed to the user's scope):
    each may draft its own report for its committee."""
    return Agency.objects.filter(unit_id__in=[c.unit_id for c in committees]).order_by(*vi_order("name"))
