"""The one permission table: which scoped action each operation on each object type needs.

Every write path (registry pages, the REST API, imports, exports, the generic `save_form` /
`delete_object` services and the app services) asks `required_action(model, op)` and then the
user's scope for that action (`core.scoping.scope_for`). Nothing else decides who may do what.

    op        what it covers
    list      see the object type in lists and API lists
    view      open one object (page, API detail)
    create    add a new object (page form, API POST, import row without id)
    change    edit an object (page form, API PUT, import row with id)
    delete    remove an object
    approve   workflow approval (reports)
    manage    the standing office's administration of the object type
    export    CSV/XLSX/JSON exports of the list

An object type not listed uses `DEFAULT`. National reference data (report outlines, incident
categories, the indicator catalogue, report forms) is written by administrators only: its writes
need `Action.ADMINISTER`, an action only the administrator role (and superusers) hold, so a
provincial standing office — which has MANAGE over its province — cannot change it.

Some reference types a province extends with rows of its own (`PROVINCE_OWNED`: indicators, report
forms and their versions): a row that names a province is written with `PROVINCIAL` (MANAGE over that
province, i.e. its standing office or an administrator); a national row (no province) stays `REFERENCE`.
`required_action(model, op, national=True)` gives the national row's action and `require_owner` checks
a row's (or a new row's) province against the user's scope for it.

To add an object type: declare its scope fields on the model (docs/development.md), then add a
line here only when it differs from `DEFAULT` (e.g. `{**DEFAULT, "create": Action.MANAGE}`).
"""

from __future__ import annotations

from .scoping import Action, require_in_scope, require_unit_in_scope, scope_for, scope_ids


class Op:
    LIST = "list"
    VIEW = "view"
    CREATE = "create"
    CHANGE = "change"
    DELETE = "delete"
    APPROVE = "approve"
    MANAGE = "manage"
    EXPORT = "export"
    ALL = (LIST, VIEW, CREATE, CHANGE, DELETE, APPROVE, MANAGE, EXPORT)


#: what an ordinary scoped record needs (a marker, a patrol, a daily statistic, a report)
DEFAULT: dict[str, str] = {
    Op.LIST: Action.VIEW,
    Op.VIEW: Action.VIEW,
    Op.EXPORT: Action.VIEW,
    Op.CREATE: Action.CHANGE,
    Op.CHANGE: Action.CHANGE,
    Op.DELETE: Action.CHANGE,
    Op.APPROVE: Action.APPROVE,
    Op.MANAGE: Action.MANAGE,
}

#: records the provincial standing office keeps (gates, committees, agencies and their members)
STANDING_OFFICE: dict[str, str] = {
    **DEFAULT,
    Op.CREATE: Action.MANAGE,
    Op.CHANGE: Action.MANAGE,
    Op.DELETE: Action.MANAGE,
}

#: national reference data: everyone with a view scope reads it, only administrators write it
REFERENCE: dict[str, str] = {
    **DEFAULT,
    Op.CREATE: Action.ADMINISTER,
    Op.CHANGE: Action.ADMINISTER,
    Op.DELETE: Action.ADMINISTER,
    Op.APPROVE: Action.ADMINISTER,
    Op.MANAGE: Action.ADMINISTER,
}

#: reference rows a province owns: its standing office writes them, inside its province only
PROVINCIAL: dict[str, str] = {**STANDING_OFFICE, Op.APPROVE: Action.ADMINISTER, Op.MANAGE: Action.MANAGE}

#: the table ("app_label.modelname" → op → action)
TABLE: dict[str, dict[str, str]] = {
    # gates: the standing office opens, renames and closes gates; stations enter daily figures
    "gates.bordergate": STANDING_OFFICE,
    # org: the committee, its members and agencies are the standing office's
    "org.committee": STANDING_OFFICE,
    "org.committeename": STANDING_OFFICE,
    "org.membership": STANDING_OFFICE,
    "org.person": STANDING_OFFICE,
    "org.agency": STANDING_OFFICE,
    "org.agencyname": STANDING_OFFICE,
    "org.agencykind": REFERENCE,
    "org.administrativeunit": STANDING_OFFICE,
    "org.unitsuccession": STANDING_OFFICE,
    "org.counterpart": STANDING_OFFICE,
    # national reference data
    "frontier.incidentcategory": REFERENCE,
    "documents.reporttemplate": REFERENCE,
    "documents.reporttemplateversion": REFERENCE,
    # indicators and forms: national rows are REFERENCE (see NATIONAL), a province's own rows its office's
    "reporting.indicator": PROVINCIAL,
    "reporting.reportform": PROVINCIAL,
    "reporting.formversion": PROVINCIAL,
}

#: object types whose rows carry a province (empty: national) → the table for their national rows
NATIONAL: dict[str, dict[str, str]] = {
    "reporting.indicator": REFERENCE,
    "reporting.reportform": REFERENCE,
    "reporting.formversion": REFERENCE,
}


def _label(model_or_label) -> str:
    if isinstance(model_or_label, str):
        return model_or_label.lower()
    meta = model_or_label._meta
    return f"{meta.app_label}.{meta.model_name}"


def required_action(model_or_label, op: str, *, national: bool = False) -> str:
    """The scoped action `op` needs on this object type (a model, an instance or "app.model").

    ``national``: for a `NATIONAL` type, the action on its national rows (those without a province)."""
    if op not in Op.ALL:
        raise ValueError(f"unknown operation {op!r}")
    label = _label(model_or_label)
    if national and label in NATIONAL:
        return NATIONAL[label][op]
    return TABLE.get(label, DEFAULT)[op]


def require_owner(user, model_or_label, op: str, province_id: int | None) -> None:
    """For a province-owned type: may the user perform `op` on a row of this province (None: national)?

    A national row needs the national action (administrators); a province's row needs the action over
    that province's unit. Raises NotFoundError otherwise (missing and forbidden look the same)."""
    require_unit_in_scope(province_id, None, user, required_action(model_or_label, op, national=province_id is None))


def can_own(user, model_or_label, op: str, province_id: int | None) -> bool:
    scope = scope_for(user, required_action(model_or_label, op, national=province_id is None))
    return scope.contains_unit(province_id)


def scope_for_op(user, model_or_label, op: str):
    """The user's scope for `op` on this object type (the one scope function, read through the table)."""
    return scope_for(user, required_action(model_or_label, op))


def can(user, model_or_label, op: str) -> bool:
    """May the user perform `op` on some object of this type (anywhere in their scope)?"""
    return not scope_for_op(user, model_or_label, op).empty


def require(user, obj, op: str) -> None:
    """Raise NotFoundError unless the user may perform `op` on this existing object."""
    require_in_scope(obj, user, required_action(type(obj), op))


def require_place(user, obj, op: str = Op.CREATE) -> None:
    """For a new (or moved) object: its unit or agency must be in the user's scope for `op`."""
    unit_id, agency_id = scope_ids(obj)
    require_unit_in_scope(unit_id, agency_id, user, required_action(type(obj), op))
