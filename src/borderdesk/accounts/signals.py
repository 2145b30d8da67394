"""Changes that alter what users may see bump the "scope" cache generation (see User.get_scope)."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from borderdesk.core import generation

# Saving only these fields of an account changes nothing a scope depends on (a login, a language choice).
_IRRELEVANT_USER_FIELDS = frozenset({"last_login", "language", "password", "display_name"})


def _bump(sender, **kwargs):
    fields = kwargs.get("update_fields")
    if fields and sender.__name__ == "User" and set(fields) <= _IRRELEVANT_USER_FIELDS:
        return
    generation.bump("scope")


def connect() -> None:
    from borderdesk.org.models import AdministrativeUnit, Agency, UnitSuccession

    from .models import RoleAssignment, User

    for model in (RoleAssignment, User, AdministrativeUnit, UnitSuccession, Agency):
        post_save.connect(_bump, sender=model, dispatch_uid=f"scope-generation-save-{model.__name__}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"scope-generation-delete-{model.__name__}")
    m2m_changed.connect(_bump, sender=User.groups.through, dispatch_uid="scope-generation-groups")
