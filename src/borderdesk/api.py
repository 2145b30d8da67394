"""The REST API: one NinjaAPI, the authentication (token or session), one error shape, served docs offline,
and each app's router (core's at the root: health, change log, me).

At the project level next to urls.py: core provides a router like every app and imports no app."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from borderdesk.accounts.auth import SessionAuth, TokenAuth
from borderdesk.core.errors import ApplicationError, validation_error_to_application_error

api = NinjaAPI(
    title="BorderDesk API",
    version="1",
    description=_("API của BorderDesk. Xác thực bằng “Authorization: Bearer <token>” hoặc phiên đăng nhập."),
    auth=[TokenAuth(), SessionAuth()],
    openapi_url="/openapi.json",
    docs_url="/docs",
    urls_namespace="api",
)


def _error(request, status: int, payload: dict):
    payload.setdefault("request_id", getattr(request, "request_id", ""))
    return api.create_response(request, payload, status=status)


@api.exception_handler(ApplicationError)
def on_application_error(request, exc: ApplicationError):
    return _error(request, exc.status_code, exc.as_dict())


@api.exception_handler(ValidationError)
def on_django_validation_error(request, exc: ValidationError):
    err = validation_error_to_application_error(exc)
    return _error(request, 400, err.as_dict())


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    fields: dict[str, list] = {}
    for e in exc.errors:
        loc = ".".join(str(x) for x in e.get("loc", []) if x not in ("body", "query", "path", "payload"))
        fields.setdefault(loc or "request", []).append(e.get("msg", ""))
    return _error(request, 422, {"error": "invalid", "message": _("Dữ liệu gửi lên chưa hợp lệ."), "fields": fields})


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _error(
        request,
        401,
        {"error": "unauthenticated", "message": _("Cần đăng nhập hoặc gửi mã truy cập (Authorization: Bearer …).")},
    )


@api.exception_handler(Http404)
def on_404(request, exc):
    return _error(
        request,
        404,
        {"error": "not_found", "message": _("Không tìm thấy đối tượng này (hoặc bạn không có quyền truy cập).")},
    )


@api.exception_handler(PermissionDenied)
def on_403(request, exc):
    return _error(request, 403, {"error": "forbidden", "message": _("Bạn không có quyền thực hiện thao tác này.")})


@api.exception_handler(IntegrityError)
def on_integrity_error(request, exc):
    """Two requests inserted the same row at once (or a unique rule the form could not see): 409, not 500."""
    return _error(
        request,
        409,
        {
            "error": "conflict",
            "message": _(
                "Dữ liệu này vừa được ghi bởi một yêu cầu khác (trùng với dữ liệu đã có). Hãy tải lại rồi thử lại."
            ),
        },
    )


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def on_out_of_range(request, exc):
    """A number too large for the database (an id of 30 digits, page 10**20): the input is wrong, not the server."""
    return _error(
        request,
        400,
        {"error": "out_of_range", "message": _("Có giá trị nằm ngoài phạm vi cho phép (số quá lớn hoặc quá dài).")},
    )


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return _error(request, exc.status_code, {"error": "http_error", "message": str(exc)})


def register_routers() -> None:
    """Mount every app's router: core's at the API's root, each app's at /api/<app label>/."""
    from borderdesk.accounts.api import router as accounts_api
    from borderdesk.coordination.api import router as coordination_api
    from borderdesk.core.api import router as core_api
    from borderdesk.documents.api import router as documents_api
    from borderdesk.extraction.api import router as extraction_api
    from borderdesk.frontier.api import router as frontier_api
    from borderdesk.gates.api import router as gates_api
    from borderdesk.jobs.api import router as jobs_api
    from borderdesk.org.api import router as org_api
    from borderdesk.outreach.api import router as outreach_api
    from borderdesk.reporting.api import router as reporting_api

    api.add_router("/", core_api)
    for label, router in (
        ("jobs", jobs_api),
        ("accounts", accounts_api),
        ("org", org_api),
        ("reporting", reporting_api),
        ("frontier", frontier_api),
        ("gates", gates_api),
        ("outreach", outreach_api),
        ("coordination", coordination_api),
        ("documents", documents_api),
        ("extraction", extraction_api),
    ):
        api.add_router(f"/{label}/", router)
