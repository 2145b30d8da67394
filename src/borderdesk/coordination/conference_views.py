"""Conference pages beyond create/edit: decisions adopted (with the membership changes of a
reconstitution), attachments and progress evidence (downloaded through the application, scope-checked)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from borderdesk.core import uploads
from borderdesk.core.errors import ApplicationError, NotFoundError
from borderdesk.core.scoping import Action, get_for_user_or_404

from . import files, services
from .forms import DecisionForm
from .models import Conference, ConferenceAttachment, TaskUpdate


@login_required
@require_POST
def decision_add(request, pk: int):
    conf = get_for_user_or_404(Conference, request.user, Action.CHANGE, pk=pk)
    form = DecisionForm(request.POST, conference=conf)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decision_add(
                user=request.user,
                conference=conf,
                kind=data["kind"],
                number=data["number"],
                decided_on=data["decided_on"],
                summary=data["summary"],
                memberships=list(data["memberships"]),
            )
            messages.success(request, _("Đã ghi nhận quyết định."))
            return redirect("coordination:conference", pk=conf.pk)
        except ApplicationError as exc:
            if exc.status_code == 404:
                raise
            messages.error(request, str(exc.message))
    else:
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
    from .views import conference_detail  # noqa: PLC0415

    return conference_detail(request, pk, decision_form=form)


@login_required
@require_POST
def attachment_add(request, pk: int):
    conf = get_for_user_or_404(Conference, request.user, Action.CHANGE, pk=pk)
    uploads = request.FILES.getlist("attachments")
    if not uploads:
        messages.error(request, _("Chọn một tệp để đính kèm."))
        return redirect("coordination:conference", pk=conf.pk)
    try:
        for f in uploads:
            files.attachment_add(user=request.user, conference=conf, file=f, title=request.POST.get("title", ""))
        messages.success(request, _("Đã đính kèm %s tệp.") % len(uploads))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect("coordination:conference", pk=conf.pk)


@login_required
def attachment_download(request, pk: int):
    att = get_for_user_or_404(ConferenceAttachment, request.user, pk=pk)
    return uploads.serve_file(att.file)


@login_required
@require_POST
def attachment_delete(request, pk: int):
    att = get_for_user_or_404(
        ConferenceAttachment.objects.select_related("conference"), request.user, Action.CHANGE, pk=pk
    )
    conf_pk = att.conference_id
    files.attachment_delete(user=request.user, attachment=att)
    messages.success(request, _("Đã xóa tệp đính kèm."))
    return redirect("coordination:conference", pk=conf_pk)


@login_required
def evidence_download(request, pk: int):
    upd = get_for_user_or_404(TaskUpdate, request.user, pk=pk)
    return uploads.serve_file(upd.evidence)


@login_required
def commendation_create(request):
    """Record a commendation (Bằng khen, Giấy khen …) for a collective or an individual."""
    from django.shortcuts import render  # noqa: PLC0415

    from .forms import CommendationForm  # noqa: PLC0415

    if not request.user.can(Action.CHANGE):
        raise NotFoundError(_("Bạn không có quyền ghi nhận khen thưởng."))
    form = CommendationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.commendation_create(user=request.user, **data)
            messages.success(request, _("Đã ghi nhận khen thưởng: %s") % data["recipient_name"])
            return redirect("coordination:commendations")
        except ApplicationError as exc:
            if exc.status_code == 404:
                raise
            form.add_error(None, str(exc.message))
    return render(request, "coordination/commendation_form.html", {"form": form})
