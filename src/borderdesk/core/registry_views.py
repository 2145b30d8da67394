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

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import tabular
from .errors import (
    ApplicationError,
    NotFoundError,
)
from .periods import parse_period
from .permissions import Op, can, required_action
from .registry_services import delete_object, delete_preview
from .scoping import Action, get_for_user_or_404
from .vn import format_number

DATE_INPUTS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
DATETIME_INPUTS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S",
                   "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d", "%d/%m/%Y"]


# ---------------------------------------------------------------- forms

class ScopedModelForm(forms.ModelForm):
    """A ModelForm whose choices are narrowed to the user's scope, with Vietnamese date inputs."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name, f in self.fields.items():
            if isinstance(f, forms.ModelChoiceField) and user is not None:
                qs = f.queryset
                if hasattr(qs, "for_user"):
                    scoped = qs.for_user(user, Action.VIEW)
                    current = self._current_ids(name)
                    # What the object already points to stays a valid choice: a station's patrol that ends at
                    # a marker of the neighbouring station can be edited (and its export re-imported) by it.
                    f.queryset = qs.filter(Q(pk__in=scoped.values("pk")) | Q(pk__in=current)) if current else scoped
            if isinstance(f, forms.DecimalField):
                f.to_python = _vn_decimal(f.to_python)
            if isinstance(f, forms.DateTimeField):
                f.input_formats = DATETIME_INPUTS
                f.widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
            elif isinstance(f, forms.DateField):
                f.input_formats = DATE_INPUTS
                f.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


    def _current_ids(self, name: str) -> list:
        inst = getattr(self, "instance", None)
        if inst is None or inst.pk is None:
            return []
        try:
            field = inst._meta.get_field(name)
        except Exception:  # a form field that is not a model field
            return []
        if field.many_to_many:
            return list(getattr(inst, name).values_list("pk", flat=True))
        value = getattr(inst, field.attname, None)
        return [] if value is None else [value]


def _vn_decimal(to_python):
    """Accept Vietnamese decimals ("12,500" = 12.5; "1.234,5" = 1234.5) as well as "12.5"."""

    def parse(value):
        if isinstance(value, str) and "," in value:
            value = value.strip().replace(".", "").replace(",", ".")
        return to_python(value)

    return parse


def form_initial(form_class, instance=None, **form_kwargs) -> dict:
    """The values a form starts from: the instance's, or the model's defaults for a new object."""
    if instance is None:
        from django.forms.models import model_to_dict

        return model_to_dict(form_class._meta.model(), fields=list(form_class.base_fields))
    return form_class(instance=instance, **form_kwargs).initial


def bound_form(form_class, *, user, data: dict, instance=None):
    """A bound form from JSON-like data; fields left out keep the instance's current values."""
    full: dict = {}
    # Current values (or the model's defaults for a new object) for the fields not sent.
    initial = form_initial(form_class, instance, user=user)
    for name, f in form_class.base_fields.items():
        v = initial.get(name)
        if isinstance(f, forms.ModelMultipleChoiceField):
            full[name] = [o.pk if hasattr(o, "pk") else o for o in (v or [])]
        elif v is not None:
            full[name] = v
    for name, v in data.items():
        full[name] = v
    for name, f in form_class.base_fields.items():
        if isinstance(f, forms.BooleanField):
            v = full.pop(name, False)
            if v not in (False, None, "", "0", "false", 0):
                full[name] = "on"
        elif full.get(name) is None:
            full.pop(name, None)
    return form_class(data=full, instance=instance, user=user)


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
    if not model_field.choices:
        return None
    try:
        return dict(model_field.flatchoices)
    except TypeError:  # unhashable choice values: leave them to Django
        return None


@dataclass
class Column:
    attr: str                 # "number", "section.name", or a method name on the object
    label: object
    link: bool = False        # link to the detail page
    css: str = ""

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


@dataclass
class Filter:
    """One filter, used by the HTML list, the export and the API alike.

    kind: "choice" (choices), "model" (queryset, by id), "text" (icontains), "bool", "period"
    (a core.periods key such as 2025, 2025-Q1, 2025-M03 on a date/datetime lookup), "date_from",
    "date_to".
    """

    name: str
    label: object
    lookup: str
    kind: str = "choice"
    choices: list | Callable | None = None
    queryset: Callable | None = None     # (user) -> queryset, for kind="model"
    datetime: bool = False

    def options(self, user):
        if self.kind == "model" and self.queryset is not None:
            return [(str(o.pk), str(o)) for o in self.queryset(user)]
        if self.kind == "bool":
            return [("1", _("Có")), ("0", _("Không"))]
        ch = self.choices() if callable(self.choices) else (self.choices or [])
        return [(str(k), str(v)) for k, v in ch]

    def q(self, raw: str) -> Q | None:
        raw = (raw or "").strip()
        if not raw:
            return None
        if self.kind == "period":
            try:  # "2025-Q1", "2025 m03" are read as 2025Q1, 2025M03
                period = parse_period(raw.replace("-", "").replace(" ", "").upper())
            except (ValueError, TypeError):
                return Q(pk__in=[])  # an unreadable period matches nothing (never silently everything)
            lk = f"{self.lookup}__date__range" if self.datetime else f"{self.lookup}__range"
            return Q(**{lk: (period.start, period.end)})
        if self.kind in ("date_from", "date_to"):
            from .views import parse_date_param

            day = parse_date_param(raw)
            if day is None:
                return None
            op = "gte" if self.kind == "date_from" else "lte"
            lk = f"{self.lookup}__date__{op}" if self.datetime else f"{self.lookup}__{op}"
            return Q(**{lk: day})
        if self.kind == "text":
            return Q(**{f"{self.lookup}__icontains": raw})
        if self.kind == "bool":
            return Q(**{self.lookup: raw in ("1", "true", "on")})
        if self.kind == "model":
            try:
                return Q(**{self.lookup: int(raw)})
            except ValueError:
                return Q(pk__in=[])
        return Q(**{self.lookup: raw})


@dataclass
class Registry:
    model: type
    slug: str
    title: object
    form_class: type
    save: Callable                      # (user=, form=, instance=, expected_version=None) -> (obj, changed)
    columns: list[Column] = field(default_factory=list)
    filters: list[Filter] = field(default_factory=list)
    search_fields: list[str] = field(default_factory=list)
    select_related: list[str] = field(default_factory=list)
    prefetch_related: list[str] = field(default_factory=list)
    detail_template: str = "core/registry_detail.html"
    detail_context: Callable | None = None      # (obj, user) -> dict
    extra_detail_fields: list[tuple[str, object]] = field(default_factory=list)
    app_namespace: str = ""
    help_text: object = ""
    remove: Callable | None = None      # (user=, instance=, expected_version=None, reason="") -> None
    deletable: bool = True

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

    def filter(self, qs, params):
        for f in self.filters:
            q = f.q(params.get(f.name, ""))
            if q is not None:
                qs = qs.filter(q)
        term = (params.get("q") or "").strip()
        if term and self.search_fields:
            q = Q()
            for name in self.search_fields:
                q |= Q(**{f"{name}__icontains": term})
            qs = qs.filter(q)
        return qs

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
            *([path(f"{s}/<int:pk>/xoa/", login_required(self.delete_view), name=f"{s}_delete")]
              if self.deletable else []),
        ]

    # ------------------------------------------------ deleting
    def delete_object(self, *, user, instance, expected_version=None, reason: str = "") -> None:
        """The registry's delete service (its own `remove`, else the generic `delete_object`)."""
        if self.remove is not None:
            return self.remove(user=user, instance=instance, expected_version=expected_version, reason=reason)
        return delete_object(user=user, instance=instance, expected_version=expected_version, reason=reason,
                             action=self.delete_action)

    def can_delete(self, user) -> bool:
        return self.deletable and self.can(user, Op.DELETE)

    # ------------------------------------------------ views
    def _base_context(self, request) -> dict:
        return {"registry": self, "can_change": self.can(request.user, Op.CHANGE),
                "can_create": self.can(request.user, Op.CREATE),
                "list_url": reverse(self.url_name("list")), "create_url": reverse(self.url_name("create")),
                "import_url": reverse(self.url_name("import")), "export_url": reverse(self.url_name("export"))}

    def list_view(self, request):
        qs = self.filter(self.queryset(request.user), request.GET)
        try:
            size = max(1, min(500, int(request.GET.get("page_size", 50))))
        except ValueError:
            size = 50
        page = Paginator(qs, size).get_page(request.GET.get("page"))
        detail = self.url_name("detail")
        rows = [(obj, reverse(detail, args=[obj.pk]), [_cell(c.value(obj)) for c in self.columns])
                for obj in page.object_list]
        params = request.GET.copy()
        params.pop("page", None)
        ctx = self._base_context(request) | {
            "page": page, "rows": rows, "columns": self.columns, "q": request.GET.get("q", ""),
            "filters": [(f, f.options(request.user), request.GET.get(f.name, "")) for f in self.filters],
            "querystring": params.urlencode(), "has_search": bool(self.search_fields),
        }
        return render(request, "core/registry_list.html", ctx)

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
        from .selectors import history_for_object

        changes = list(history_for_object(user=request.user, instance=obj)[:20]) \
            if request.user.can(Action.AUDIT) else []
        ctx = self._base_context(request) | {
            "object": obj, "rows": self.detail_rows(obj), "changes": changes,
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
                    obj, _changed = self.save(user=request.user, form=form, instance=instance,
                                              expected_version=request.POST.get("_version") or None)
                except ApplicationError as exc:
                    if exc.status_code == 404 or exc.status_code == 409 or not exc.field_errors:
                        form.add_error(None, str(exc.message))
                    for fname, msgs in exc.field_errors.items():
                        for m in (msgs if isinstance(msgs, list | tuple) else [msgs]):
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
                self.delete_object(user=request.user, instance=obj, reason=request.POST.get("reason", "")[:500],
                                   expected_version=request.POST.get("_version") or None)
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
        qs = self.filter(self.queryset(request.user, self.action(Op.EXPORT)), request.GET)
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

    def run_import(self, *, user, uploaded, filename=None) -> tabular.ImportResult:
        rows = tabular.read_table(uploaded, filename=filename)
        return tabular.import_rows(rows=rows, form_class=self.form_class,
                                   queryset=self.model._default_manager.for_user(user, self.action(Op.CHANGE)),
                                   user=user, save=self.save, form_kwargs={"user": user})

    def import_view(self, request):
        self.require(request.user, Op.CHANGE)
        ctx = self._base_context(request) | {"limit_mb": tabular.max_upload_bytes() // 1048576,
                                              "columns": tabular.export_columns(self.form_class)}
        status = 200
        if request.method == "POST":
            status = 400
            try:
                # Reject by declared size before Django reads the body.
                tabular.check_size(int(request.META.get("CONTENT_LENGTH") or 0) - 64 * 1024)
                uploaded = request.FILES.get("file")
                if uploaded is None:
                    raise tabular.ImportRejected(_("Chưa chọn tệp."))
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
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if timezone.is_aware(value) else \
            value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return value


def max_upload_bytes() -> int:
    return int(getattr(settings, "BORDERDESK_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
