"""One application error family, turned into one error response by pages and the API."""

from __future__ import annotations


class ApplicationError(Exception):
    """A rule was broken. `message` is user-facing (Vietnamese by default, translatable)."""

    status_code = 400
    code = "invalid"

    def __init__(self, message, *, field_errors: dict | None = None, code: str | None = None, extra=None):
        super().__init__(str(message))
        self.message: object = message
        self.field_errors = field_errors or {}
        if code:
            self.code = code
        self.extra = extra or {}

    def as_dict(self) -> dict:
        data: dict = {"error": self.code, "message": str(self.message)}
        if self.field_errors:
            data["fields"] = {
                k: [str(m) for m in v] if isinstance(v, list | tuple) else [str(v)]
                for k, v in self.field_errors.items()
            }
        if self.extra:
            data.update(self.extra)
        return data


class NotFoundError(ApplicationError):
    """Missing and forbidden look the same."""

    status_code = 404
    code = "not_found"


class PermissionDeniedError(ApplicationError):
    status_code = 403
    code = "forbidden"


class ConflictError(ApplicationError):
    """A concurrent edit: someone saved this object after you opened it."""

    status_code = 409
    code = "conflict"


def validation_error_to_application_error(exc) -> ApplicationError:
    """Turn a Django ValidationError into an ApplicationError with per-field messages."""
    from django.utils.translation import gettext as _

    if hasattr(exc, "error_dict"):
        fields = {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        msgs = [m for v in fields.values() for m in v]
        return ApplicationError(
            msgs[0] if len(msgs) == 1 else _("Dữ liệu chưa hợp lệ: %s") % "; ".join(msgs), field_errors=fields
        )
    return ApplicationError("; ".join(exc.messages))


def error_response(request, exc: ApplicationError):
    """The API's JSON error for ``exc`` ({"error", "message", ..., "request_id"}), for code that answers before
    the API's exception handlers can (a view decorator refusing an oversized body): the same shape as
    ``borderdesk.api``'s handler, without importing the API."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder
    from django.http import HttpResponse

    payload = exc.as_dict()
    payload.setdefault("request_id", getattr(request, "request_id", ""))
    return HttpResponse(
        json.dumps(payload, cls=DjangoJSONEncoder),
        status=exc.status_code,
        content_type="application/json; charset=utf-8",
    )
