"""Declarative registries: one list/detail/create/edit/import/export mechanism for every registry model.

A registry app declares, per model:

    markers = Registry(
        model=Marker, slug="moc", title=_("Mốc quốc giới"), form_class=MarkerForm,
        columns=[Column("number", _("Số hiệu")), Column("section", _("Đoạn")), ...],
        filters=[Filter("section", _("Đoạn"), "section", kind="model", queryset=...), ...],
        search_fields=["number", "notes"], select_related=["section", "commune"],
        save=services.marker_save,
    )
    urlpatterns += markers.urls()

and gets: a paginated list with filters and search (bounded queries), a detail page with the change
history, a create/edit form (the ModelForm validates; the service saves with scope checks,
optimistic locking and the change log), CSV/XLSX import (update by id, all-or-nothing, per-row
errors) and export (re-imports unchanged). The same `Registry.filter()` narrows the API lists, so
the HTML list and the API share one filter definition.

`save_form()` is the generic service behind `save`: registry apps wrap it with their own rules.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import archives
from ..errors import (
    ApplicationError,
    NotFoundError,
)
from ..listing import Filter, ListParamError, ListSpec, Sort
from ..period_picker import PeriodChoice
from ..permissions import Op, can, required_action
from ..scoping import Action, get_for_user_or_404
from ..vn import format_date, format_datetime, format_number
from . import tabular
from .services import delete_object, delete_preview

# ---------------------------------------------------------------- declarations


@functools.lru_cache(maxsize=512)
def _choice_labels(cls, name: str) -> dict | None:
    """{value: label} of a model field with choices whose get_FOO_display is Django's own (not overridden)."""
    if not (isinstance(cls, type) and issubclass(cls, models.Model)):
        return None
    if not isinstance(inspect.getattr_static(cls, f"get_{name}_display", None), functools.partialmethod):
        return None
    try:
        model_field = cls._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not isinstance(model_field, models.Field) or not model_field.choices:
        return None
    try:
        return dict(model_field.flatchoices)
    except TypeError:  # unhashable choice values: leave them to Django
        return None


@dataclass
class Column:
    attr: str  # "number", "section.name", or a method name on the object
    label: object
    link: bool = False  # link to the detail page
    css: str = ""
    # the database ordering of the column's sort (``?sort=<attr>``): None derives it from the model (a field, or a
    # related object's name/number), "" makes the column not sortable
    sort: str | tuple | None = None

    def value(self, obj):
        target = obj
        for part in self.attr.split("."):
            if target is None:
                return None
            labels = _choice_labels(type(target), part)
            if labels is not None:  # Django's get_FOO_display, without rebuilding the choices per call
                raw = getattr(target, part, None)
                target = force_str(labels.get(raw, raw), strings_only=True)
                continue
            display = getattr(target, f"get_{part}_display", None)
            target = display() if callable(display) else getattr(target, part, None)
            if callable(target) and not isinstance(target, models.Manager):
                target = target()
        return target


REGISTRIES: dict = {}  # key -> Registry, filled as the registries are declared
# The background-job runner (the jobs app, which core does not import) registers how to submit an import.
IMPORT_JOBS: dict[str, Callable | None] = {"submit": None}


def registry_by_key(key: str):
    """The registry a background job names; the URL configuration declares them all."""
    if key not in REGISTRIES:
        from django.urls import get_resolver

        get_resolver().url_patterns  # noqa: B018 — importing the URL configuration declares every registry
    return REGISTRIES.get(key)


@dataclass
class Registry:
    model: Any  # a model class
    slug: str
    title: object
    form_class: Any  # a ScopedModelForm subclass
    save: Callable  # (user=, form=, instance=, expected_version=None) -> (obj, changed)
    columns: list[Column] = field(default_factory=list)
    filters: list[Filter] = field(default_factory=list)
    search_fields: list[str] = field(default_factory=list)
    select_related: list[str] = field(default_factory=list)
    prefetch_related: list[str] = field(default_factory=list)
    detail_template: str = "core/registry_detail.html"
    detail_context: Callable | None = None  # (obj, user) -> dict
    extra_detail_fields: list[tuple[str, object]] = field(default_factory=list)
    app_namespace: str = ""
    help_text: object = ""
    remove: Callable | None = None  # (user=, instance=, expected_version=None, reason="") -> None
    deletable: bool = True
    # Imports validate once and write in bulk (core.registry.bulk_import) when `save` is `save_form` whose own
    # rules are given for the whole file too: `bulk_rules(user=, items=)` checks the validated rows before the write
    # (and may set what `save` derives, e.g. a channel), `after_bulk(user=, created=, updated=, previous=)` does the
    # follow-up work after it; otherwise each row goes through `save`.
    bulk_import: bool = False
    after_bulk: Callable | None = None
    bulk_rules: Callable | None = None
    default_sort: str = ""  # "-started_at" (a column's sort key); empty: the model's ordering
    page_size: int = 50

    def __post_init__(self):
        REGISTRIES.setdefault(self.key, self)  # the first declaration (copies for the API keep the original)

    @property
    def key(self) -> str:
        """How a background job names this registry ("frontier:tuan-tra")."""
        return f"{self.app_namespace}:{self.slug}"

    # ------------------------------------------------ permissions (read from core.permissions.TABLE)
    def action(self, op: str) -> str:
        return required_action(self.model, op)

    def can(self, user, op: str) -> bool:
        return can(user, self.model, op)

    def require(self, user, op: str) -> None:
        """Refuse (404, like a missing object: pages and API alike) unless the user may perform `op` somewhere."""
        if not self.can(user, op):
            raise NotFoundError(_("Không tìm thấy đối tượng này (hoặc bạn không có quyền truy cập)."))

    @property
    def delete_action(self) -> str:
        return self.action(Op.DELETE)

    # ------------------------------------------------ reading
    def queryset(self, user, action: str | None = None):
        qs = self.model._default_manager.for_user(user, action or self.action(Op.VIEW))
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs

    @functools.cached_property
    def spec(self) -> ListSpec:
        """The list's declaration (core.listing): these filters and search, a sort for each sortable column."""
        return ListSpec(
            filters=self.filters,
            search_fields=self.search_fields,
            sorts=[s for c in self.columns if (s := column_sort(self.model, c)) is not None],
            default_sort=self.default_sort,
            page_size=self.page_size,
        )

    @property
    def period_filter(self) -> Filter | None:
        return self.spec.period_filter

    def period_choice(self, params) -> PeriodChoice | None:
        """The shared picker's reading of ``params`` for this registry's period filter (None: it has none)."""
        return self.spec.period_choice(params)

    def filter(self, qs, params, user=None):
        """``qs`` filtered, searched and sorted as ``params`` say (ListParamError when one does not parse)."""
        return self.spec.apply(qs, params, user)

    def get(self, user, pk, action: str | None = None):
        action = action or self.action(Op.VIEW)
        return get_for_user_or_404(self.queryset(user, action), user, action, pk=pk)

    # ------------------------------------------------ urls
    def url_name(self, view: str) -> str:
        return f"{self.app_namespace}:{self.slug}_{view}" if self.app_namespace else f"{self.slug}_{view}"

    def urls(self) -> list:
        s = self.slug
        return [
            path(f"{s}/", login_required(self.list_view), name=f"{s}_list"),
            path(f"{s}/them/", login_required(self.create_view), name=f"{s}_create"),
            path(f"{s}/nhap/", login_required(self.import_view), name=f"{s}_import"),
            path(f"{s}/xuat/", login_required(self.export_view), name=f"{s}_export"),
            path(f"{s}/<int:pk>/", login_required(self.detail_view), name=f"{s}_detail"),
            path(f"{s}/<int:pk>/sua/", login_required(self.edit_view), name=f"{s}_edit"),
            *(
                [path(f"{s}/<int:pk>/xoa/", login_required(self.delete_view), name=f"{s}_delete")]
                if self.deletable
                else []
            ),
        ]

    # ------------------------------------------------ deleting
    def delete_object(self, *, user, instance, expected_version=None, reason: str = "") -> None:
        """The registry's delete service (its own `remove`, else the generic `delete_object`)."""
        if self.remove is not None:
            return self.remove(user=user, instance=instance, expected_version=expected_version, reason=reason)
        return delete_object(
            user=user, instance=instance, expected_version=expected_version, reason=reason, action=self.delete_action
        )

    def can_delete(self, user) -> bool:
        return self.deletable and self.can(user, Op.DELETE)

    # ------------------------------------------------ views
    def _base_context(self, request) -> dict:
        return {
            "registry": self,
            "can_change": self.can(request.user, Op.CHANGE),
            "can_create": self.can(request.user, Op.CREATE),
            "list_url": reverse(self.url_name("list")),
            "create_url": reverse(self.url_name("create")),
            "import_url": reverse(self.url_name("import")),
            "export_url": reverse(self.url_name("export")),
        }

    def list_view(self, request):
        result = self.spec.page(
            request, self.queryset(request.user), columns=[(c.label, sort_key(c), c.css) for c in self.columns]
        )
        detail = self.url_name("detail")
        rows = [
            (obj, reverse(detail, args=[obj.pk]), [_cell(c.value(obj)) for c in self.columns]) for obj in result.rows
        ]
        ctx = self._base_context(request) | {
            "page": result.page,
            "rows": rows,
            "headers": result.headers,
            "columns": self.columns,
            "q": request.GET.get("q", ""),
            "filters": [(f, f.options(request.user), result.values.get(f.name, "")) for f in self.filters],
            "period_choice": result.period_choice,
            "querystring": result.querystring,
            "list_error": result.error,
            "has_search": bool(self.search_fields),
        }
        return render(request, "core/registry_list.html", ctx, status=400 if result.error else 200)

    def detail_rows(self, obj) -> list[tuple[object, object]]:
        rows = []
        for name in self.form_class.base_fields:
            if name == "source":
                continue  # the detail template shows the source once, with its links
            f = obj._meta.get_field(name)
            if f.many_to_many:
                value = ", ".join(str(o) for o in getattr(obj, name).all()) or None
            else:
                value = Column(name, "").value(obj)
            rows.append((f.verbose_name, _cell(value)))
        for attr, label in self.extra_detail_fields:
            rows.append((label, _cell(Column(attr, "").value(obj))))
        return rows

    def detail_view(self, request, pk):
        obj = self.get(request.user, pk)
        from ..selectors import history_for_object

        changes = (
            list(history_for_object(user=request.user, instance=obj)[:20]) if request.user.can(Action.AUDIT) else []
        )
        ctx = self._base_context(request) | {
            "object": obj,
            "rows": self.detail_rows(obj),
            "changes": changes,
            "edit_url": reverse(self.url_name("edit"), args=[obj.pk]),
            "can_delete": self.can_delete(request.user),
            "delete_url": reverse(self.url_name("delete"), args=[obj.pk]) if self.deletable else "",
        }
        if self.detail_context is not None:
            ctx |= self.detail_context(obj, request.user)
        return render(request, self.detail_template, ctx)

    def _form_view(self, request, instance):
        self.require(request.user, Op.CREATE if instance is None else Op.CHANGE)
        if request.method == "POST":
            form = self.form_class(request.POST, request.FILES or None, instance=instance, user=request.user)
            if form.is_valid():
                try:
                    obj, _changed = self.save(
                        user=request.user,
                        form=form,
                        instance=instance,
                        expected_version=request.POST.get("_version") or None,
                    )
                except ApplicationError as exc:
                    if exc.status_code == 404 or exc.status_code == 409 or not exc.field_errors:
                        form.add_error(None, str(exc.message))
                    for fname, msgs in exc.field_errors.items():
                        for m in msgs if isinstance(msgs, list | tuple) else [msgs]:
                            form.add_error(fname if fname in form.fields else None, str(m))
                else:
                    from django.contrib import messages

                    messages.success(request, _("Đã lưu."))
                    return redirect(reverse(self.url_name("detail"), args=[obj.pk]))
            status = 400
        else:
            form = self.form_class(instance=instance, user=request.user)
            status = 200
        ctx = self._base_context(request) | {"form": form, "object": instance}
        return render(request, "core/registry_form.html", ctx, status=status)

    def create_view(self, request):
        return self._form_view(request, None)

    def edit_view(self, request, pk):
        return self._form_view(request, self.get(request.user, pk, self.action(Op.CHANGE)))

    def delete_view(self, request, pk):
        """GET: a confirmation page (what goes with it, or what protects it); POST: delete, back to the list."""
        if not self.deletable:
            raise NotFoundError(_("Không tìm thấy đối tượng này (hoặc bạn không có quyền truy cập)."))
        self.require(request.user, Op.DELETE)
        obj = self.get(request.user, pk, self.delete_action)
        ctx = self._base_context(request) | {"object": obj, "detail_url": reverse(self.url_name("detail"), args=[pk])}
        status = 200
        if request.method == "POST":
            label = str(obj)
            try:
                self.delete_object(
                    user=request.user,
                    instance=obj,
                    reason=request.POST.get("reason", "")[:500],
                    expected_version=request.POST.get("_version") or None,
                )
            except ApplicationError as exc:
                ctx["error"] = exc.message
                status = exc.status_code
            else:
                from django.contrib import messages

                messages.success(request, _("Đã xóa “%s”.") % label)
                return redirect(ctx["list_url"])
        ctx |= delete_preview(obj)
        return render(request, "core/registry_delete.html", ctx, status=status)

    def export_view(self, request):
        try:
            qs = self.filter(self.queryset(request.user, self.action(Op.EXPORT)), request.GET, request.user)
        except ListParamError as exc:
            return HttpResponse(str(exc.message), status=400, content_type="text/plain; charset=utf-8")
        fmt = request.GET.get("dinh_dang", "csv")
        rows = tabular.export_rows(qs, self.form_class)
        stamp = timezone.localdate().strftime("%Y%m%d")
        if fmt == "xlsx":
            body = tabular.write_xlsx(rows, title=self.slug)
            resp = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            resp["Content-Disposition"] = f'attachment; filename="{self.slug}-{stamp}.xlsx"'
        else:
            resp = HttpResponse(tabular.write_csv(rows), content_type="text/csv; charset=utf-8")
            resp["Content-Disposition"] = f'attachment; filename="{self.slug}-{stamp}.csv"'
        return resp

    def run_import(self, *, user, uploaded, filename=None, progress=None) -> tabular.ImportResult:
        """Import a CSV/XLSX file (all or nothing); `progress(done, total, step)` is a background job's."""
        rows = tabular.read_table(uploaded, filename=filename)
        return tabular.import_rows(
            rows=rows,
            form_class=self.form_class,
            queryset=self.model._default_manager.for_user(user, self.action(Op.CHANGE)),
            user=user,
            save=self.save,
            form_kwargs={"user": user},
            bulk=self.bulk_import,
            after_bulk=self.after_bulk,
            bulk_rules=self.bulk_rules,
            progress=progress,
        )

    def submit_import_job(self, *, user, uploaded) -> str:
        """Import `uploaded` in a background job; the job page's address (progress there; the tab may close)."""
        tabular.check_size(getattr(uploaded, "size", None))
        if not (getattr(uploaded, "name", "") or "").lower().endswith((".csv", ".txt", ".xlsx")):
            raise tabular.ImportRejected(_("Chỉ nhận tệp .csv hoặc .xlsx."))
        if IMPORT_JOBS["submit"] is None:
            raise ApplicationError(_("Chưa bật công việc chạy nền."))
        return IMPORT_JOBS["submit"](user=user, registry=self, uploaded=uploaded)

    def import_view(self, request):
        self.require(request.user, Op.CHANGE)
        ctx = self._base_context(request) | {
            "limit_mb": archives.megabytes(archives.upload_limit()),
            "columns": tabular.export_columns(self.form_class),
        }
        status = 200
        if request.method == "POST":
            status = 400
            try:
                # Reject by declared size before Django reads the body.
                tabular.check_size(int(request.META.get("CONTENT_LENGTH") or 0) - 64 * 1024)
                uploaded = request.FILES.get("file")
                if uploaded is None:
                    raise tabular.ImportRejected(_("Chưa chọn tệp."))
                if request.POST.get("background"):
                    return redirect(self.submit_import_job(user=request.user, uploaded=uploaded))
                result = self.run_import(user=request.user, uploaded=uploaded)
            except ApplicationError as exc:
                ctx["error"] = exc.message
            else:
                ctx["result"] = result
                if result.ok:
                    status = 200
        return render(request, "core/registry_import.html", ctx, status=status)


def _cell(value):
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return gettext_lazy("Có") if value else gettext_lazy("Không")
    if isinstance(value, int | decimal.Decimal):
        return format_number(value)
    if isinstance(value, dt.datetime):
        return format_datetime(timezone.localtime(value) if timezone.is_aware(value) else value)
    if isinstance(value, dt.date):
        return format_date(value)
    return value


def sort_key(column: Column) -> str:
    """The ``?sort=`` key of a column ("section" for "section.name", "from_marker" for "from_marker.number")."""
    return column.attr.split(".")[0] if column.sort != "" else ""


def column_sort(model, column: Column) -> Sort | None:
    """The sort a column offers: its declared ``sort``, else its model field (a related object by its name,
    title or number); None when the column is a method or a many-valued relation."""
    if column.sort == "":
        return None
    key = sort_key(column)
    if column.sort is not None:
        return Sort(key, column.label, column.sort)
    path, target = [], model
    for part in column.attr.split("."):
        try:
            f = target._meta.get_field(part)
        except (FieldDoesNotExist, AttributeError):
            return None
        if f.many_to_many or f.one_to_many or not getattr(f, "concrete", False):
            return None
        path.append(f.name)  # "merged_into_id" is the field "merged_into"
        target = f.related_model if f.is_relation else None
    if target is not None:  # a related object: ordered by its name, title or number
        leaf = next((n for n in ("name", "title", "number", "code") if _has_field(target, n)), None)
        if leaf is None:
            return None
        path.append(leaf)
    return Sort(key, column.label, "__".join(path))


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True
