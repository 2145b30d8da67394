from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from borderdesk.core.scoping import Action

from .registries import ALL


@login_required
def home(request):
    links = [
        (r.title, reverse(r.url_name("list")), r.model.objects.for_user(request.user, Action.VIEW).count()) for r in ALL
    ]
    return render(request, "outreach/home.html", {"links": links})
