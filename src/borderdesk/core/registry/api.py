"""REST endpoints for a declared Registry: list (the same ListSpec as the page: filters, search, sort, page),
detail, create, update, delete.

    add_registry_routes(router, markers, path="markers", out_schema=MarkerOut)

Writes validate with the registry's ModelForm and save through its service, exactly like the page
and the import; errors come back as the one ApplicationError JSON shape with per-field messages.
An update may send only the fields it changes and must send the "version" it read (400 without it,
409 when someone saved since). Who may do what is `core.permissions.TABLE`.
DELETE answers 204, 404 (missing or outside scope) or 409 (protected by other rows, or a stale
`?version=`), through the registry's delete service (scope check, change log).
"""

from typing import Any

from django.utils.translation import gettext as _
from ninja import Body, Status
from ninja.orm import create_schema
from ninja.pagination import paginate

from borderdesk.core.listing import ListPagination

from .. import archives
from ..errors import ApplicationError
from ..permissions import Op
from ..services import require_version
from .forms import bound_form
from .views import Registry


def registry_schema(registry: Registry, *, name: str, extra: list[str] | None = None):
    fields = ["id", "version", *registry.form_class.base_fields, *(extra or [])]
    return create_schema(registry.model, name=name, fields=fields)


def _save(registry: Registry, request, payload: dict, instance=None):
    registry.require(request.user, Op.CREATE if instance is None else Op.CHANGE)
    payload = dict(payload or {})
    version = payload.pop("version", None)
    if instance is not None:
        require_version(version)
    unknown = sorted(set(payload) - set(registry.form_class.base_fields))
    if unknown:
        raise ApplicationError(
            _("Trường không nhận ra: %(f)s") % {"f": ", ".join(unknown)},
            field_errors={k: [_("Trường không nhận ra.")] for k in unknown},
        )
    form = bound_form(registry.form_class, user=request.user, data=payload, instance=instance)
    if not form.is_valid():
        errors = {("" if k == "__all__" else k): [str(m) for m in v] for k, v in form.errors.items()}
        raise ApplicationError(_("Dữ liệu chưa hợp lệ."), field_errors=errors)
    obj, _changed = registry.save(user=request.user, form=form, instance=instance, expected_version=version)
    return obj


#: model → its API collection path ("/api/<app>/<path>"), for clients and the scope-matrix test
API_PATHS: dict[type, str] = {}


def add_registry_routes(router, registry: Registry, *, path: str, out_schema, tag: str | None = None):
    API_PATHS[registry.model] = f"/api/{registry.model._meta.app_label}/{path}"
    label = str(registry.title)
    # stable, unique operation ids (generated clients name their methods after them): <app>_<path>_<view>
    op = f"{registry.model._meta.app_label}_{path}".replace("-", "_").replace("/", "_")

    @router.get(
        f"/{path}",
        response=list[out_schema],
        url_name=f"{registry.slug}_list",
        operation_id=f"{op}_list",
        summary=_("Danh sách: %(t)s") % {"t": label},
        description=registry.spec.describe(),
    )
    @paginate(ListPagination, spec=registry.spec)
    def list_view(request):
        return registry.queryset(request.user, registry.action(Op.LIST))

    @router.get(
        f"/{path}/{{int:pk}}",
        response=out_schema,
        url_name=f"{registry.slug}_detail",
        operation_id=f"{op}_detail",
        summary=_("Chi tiết: %(t)s") % {"t": label},
    )
    def detail_view(request, pk: int):
        return registry.get(request.user, pk)

    @router.post(
        f"/{path}",
        response={201: out_schema},
        url_name=f"{registry.slug}_create",
        operation_id=f"{op}_create",
        summary=_("Thêm: %(t)s") % {"t": label},
    )
    def create_view(request, payload: dict[str, Any] = Body(...)):  # noqa: B008
        return Status(201, _save(registry, request, payload))

    @router.put(
        f"/{path}/{{int:pk}}",
        response=out_schema,
        url_name=f"{registry.slug}_update",
        operation_id=f"{op}_update",
        summary=_("Sửa: %(t)s") % {"t": label},
    )
    def update_view(request, pk: int, payload: dict[str, Any] = Body(...)):  # noqa: B008
        registry.require(request.user, Op.CHANGE)
        instance = registry.get(request.user, pk, registry.action(Op.CHANGE))
        return _save(registry, request, payload, instance)

    @router.post(
        f"/{path}/import",
        response={200: dict, 202: dict, 400: dict},
        url_name=f"{registry.slug}_import",
        operation_id=f"{op}_import",
        summary=_("Nhập từ tệp: %(t)s") % {"t": label},
        description=_(
            "Thân yêu cầu là tệp CSV hoặc XLSX (như tệp xuất); `file_name` cho biết loại tệp. "
            "Tất cả hoặc không: 200 với số dòng thêm/sửa/không đổi, 400 với lỗi từng dòng. Với "
            "`background=true`: 202 với mã công việc; theo dõi `GET /api/jobs/{id}`."
        ),
    )
    def import_view(request, file_name: str = "import.csv", background: bool = False):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from . import tabular

        registry.require(request.user, Op.CHANGE)
        tabular.check_size(int(request.META.get("CONTENT_LENGTH") or 0))
        body = request.read(archives.upload_limit() + 1)
        tabular.check_size(len(body))
        uploaded = SimpleUploadedFile(file_name[:255] or "import.csv", body)
        if background:
            url = registry.submit_import_job(user=request.user, uploaded=uploaded)
            job_id = url.rstrip("/").rsplit("/", 1)[-1]
            return Status(202, {"job_id": job_id, "url": f"/api/jobs/{job_id}"})
        result = registry.run_import(user=request.user, uploaded=uploaded, filename=file_name)
        return Status(200 if result.ok else 400, result.as_dict())

    if not registry.deletable:
        return list_view, detail_view, create_view, update_view, import_view

    @router.delete(
        f"/{path}/{{int:pk}}",
        response={204: None},
        url_name=f"{registry.slug}_delete",
        operation_id=f"{op}_delete",
        summary=_("Xóa: %(t)s") % {"t": label},
        description=_(
            "204 khi đã xóa (ghi nhật ký thay đổi); 404 khi không có hoặc ngoài phạm vi; 409 khi "
            "còn dữ liệu khác tham chiếu đến hoặc khi `version` không còn là phiên bản hiện tại."
        ),
    )
    def delete_view(request, pk: int, version: int | None = None, reason: str = ""):
        registry.require(request.user, Op.DELETE)
        instance = registry.get(request.user, pk, registry.delete_action)
        registry.delete_object(user=request.user, instance=instance, expected_version=version, reason=reason[:500])
        return Status(204, None)

    return list_view, detail_view, create_view, update_view, import_view, delete_view
