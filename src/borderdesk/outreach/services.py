"""Every write of the outreach app goes through the shared registry service (scope, version, log)."""

from borderdesk.core.registry.services import save_form


def session_save(*, user, form, instance=None, expected_version=None):
    return save_form(user=user, form=form, instance=instance, expected_version=expected_version)


def commitment_save(*, user, form, instance=None, expected_version=None):
    return save_form(user=user, form=form, instance=instance, expected_version=expected_version)


def programme_save(*, user, form, instance=None, expected_version=None):
    return save_form(user=user, form=form, instance=instance, expected_version=expected_version)


def beneficiary_save(*, user, form, instance=None, expected_version=None):
    return save_form(user=user, form=form, instance=instance, expected_version=expected_version)
