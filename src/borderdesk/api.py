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
    fields = {}
    for e in exc.errors:
        loc = ".".join(str(x) for x in e.get("loc", []) if x not in ("body", "query", "path", "payload"))
        fields.setdefault(loc or "request", []).append(e.get("msg", ""))
    return _error(request, 422, {"error": "invalid", "message": _("Dữ liệu gửi lên chưa hợp lệ."), "fields": fields})


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _error(request, 401, {"error": "unauthenticated",
                                 "message": _("Cần đăng nhập hoặc gửi mã truy cập (Authorization: Bearer …).")})


@api.exception_handler(Http404)
def on_404(request, exc):
    return _error(request, 404, {"error": "not_found",
                                 "message": _("Không tìm thấy đối tượng này (hoặc bạn không có quyền truy cập).")})


@api.exception_handler(PermissionDenied)
def on_403(request, exc):
    return _error(request, 403, {"error": "forbidden", "message": _("Bạn không có quyền thực hiện thao tác này.")})


@api.exception_handler(IntegrityError)
def on_integrity_error(request, exc):
    """Two requests inserted the same row at once (or a unique rule the form could not see): 409, not 500."""
    return _error(request, 409, {"error": "conflict", "message": _(
        "Dữ liệu này vừa được ghi bởi một yêu cầu khác (trùng với dữ liệu đã có). Hãy tải lại rồi thử lại.")})


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def on_out_of_range(request, exc):
    """A number too large for the database (an id of 30 digits, page 10**20): the input is wrong, not the server."""
    return _error(request, 400, {"error": "out_of_range",
                                 "message": _("Có giá trị nằm ngoài phạm vi cho phép (số quá lớn hoặc quá dài).")})


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return _error(request, exc.status_code, {"error": "http_error", "message": str(exc)})


def register_routers() -> None:
    """Mount each app's router (apps that exist in this checkout)."""
    import importlib

    from django.apps import apps as django_apps

    for cfg in django_apps.get_app_configs():
        if not cfg.name.startswith("borderdesk."):
            continue
        try:
            module = importlib.import_module(f"{cfg.name}.api")
        except ModuleNotFoundError as exc:
            if exc.name == f"{cfg.name}.api":
                continue
            raise
        router = getattr(module, "router", None)
        if router is not None:
            api.add_router("/" if cfg.label == "core" else f"/{cfg.label}/", router)
