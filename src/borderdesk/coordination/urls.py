from django.contrib.auth.decorators import login_required
from django.urls import path

from . import views
from .registries import agreements

app_name = "coordination"
urlpatterns = [
    path("", views.home, name="home"),
    path("hoi-nghi/moi/", views.conference_create, name="conference_create"),
    path("hoi-nghi/<int:pk>/", views.conference_detail, name="conference"),
    path("hoi-nghi/<int:pk>/sua/", views.conference_edit, name="conference_edit"),
    path("hoi-nghi/<int:pk>/chi-dao/", views.directive_add, name="directive_add"),
    path("hoi-nghi/<int:pk>/nhiem-vu/", views.task_add, name="task_add"),
    path("nhiem-vu/", views.tasks, name="tasks"),
    path("nhiem-vu/<int:pk>/", views.task_detail, name="task"),
    path("khen-thuong/", views.commendations, name="commendations"),
    # The agreements registry (list, detail, form, import, export, delete); "agreements" names its list.
    path("quy-che/", login_required(agreements.list_view), name="agreements"),
    *agreements.urls(),
]
