"""The REST API: one NinjaAPI, routers per app, one error shape, served docs offline."""


from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from borderdesk.accounts.auth import SessionAuth, TokenAuth

from .errors import ApplicationError, validation_error_to_application_error

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


@api.get("/health", auth=None, tags=["core"])
def health(request):
    return {"status": "ok"}


# ---------------------------------------------------------------- change log
import datetime as _dt  # noqa: E402

from ninja import Schema  # noqa: E402
from ninja.pagination import paginate  # noqa: E402

from .pagination import PageNumberPagination  # noqa: E402
from .scoping import Action, get_for_user_or_404  # noqa: E402
from .selectors import changelog_for_user  # noqa: E402


class ChangeLogOut(Schema):
    id: int
    time: _dt.datetime
    user: str
    request_id: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: dict | None
    after: dict | None
    reason: str

    @staticmethod
    def resolve_user(obj):
        return obj.user_repr

    @staticmethod
    def resolve_object_type(obj):
        return f"{obj.content_type.app_label}.{obj.content_type.model}"


@api.get("/changelog", response=list[ChangeLogOut], tags=["core"])
@paginate(PageNumberPagination)
def list_changelog(request, user: str = "", model: str = "", date_from: _dt.date | None = None,
                   date_to: _dt.date | None = None, object_id: str = "", request_id: str = "", action: str = ""):
    """The change log the caller may audit, newest first."""
    return changelog_for_user(user=request.user, username=user, model=model, date_from=date_from,
                              date_to=date_to, object_id=object_id, request_id=request_id, action=action)


@api.get("/changelog/{entry_id}", response=ChangeLogOut, tags=["core"])
def get_changelog_entry(request, entry_id: int):
    from .models import ChangeLogEntry

    return get_for_user_or_404(ChangeLogEntry.objects.select_related("content_type"), request.user, Action.AUDIT,
                               pk=entry_id)


class MeOut(Schema):
    username: str
    display_name: str
    roles: list[str]


@api.get("/me", response=MeOut, tags=["core"])
def me(request):
    u = request.user
    return {"username": u.username, "display_name": str(u), "roles": sorted(u.roles())}
