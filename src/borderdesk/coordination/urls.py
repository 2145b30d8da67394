from django.contrib.auth.decorators import login_required
from django.urls import path

from . import conference_views, views
from .registries import agreements

app_name = "coordination"
urlpatterns = [
    path("", views.home, name="home"),
    path("hoi-nghi/moi/", views.conference_create, name="conference_create"),
    path("hoi-nghi/<int:pk>/", views.conference_detail, name="conference"),
    path("hoi-nghi/<int:pk>/sua/", views.conference_edit, name="conference_edit"),
    path("hoi-nghi/<int:pk>/chi-dao/", views.directive_add, name="directive_add"),
    path("hoi-nghi/<int:pk>/nhiem-vu/", views.task_add, name="task_add"),
    path("hoi-nghi/<int:pk>/quyet-dinh/", conference_views.decision_add, name="decision_add"),
    path("hoi-nghi/<int:pk>/tep/", conference_views.attachment_add, name="attachment_add"),
    path("tep/<int:pk>/", conference_views.attachment_download, name="attachment"),
    path("tep/<int:pk>/xoa/", conference_views.attachment_delete, name="attachment_delete"),
    path("minh-chung/<int:pk>/", conference_views.evidence_download, name="evidence"),
    path("nhiem-vu/", views.tasks, name="tasks"),
    path("nhiem-vu/<int:pk>/", views.task_detail, name="task"),
    path("khen-thuong/", views.commendations, name="commendations"),
    path("khen-thuong/moi/", conference_views.commendation_create, name="commendation_create"),
    # The agreements registry (list, detail, form, import, export, delete); "agreements" names its list.
    path("quy-che/", login_required(agreements.list_view), name="agreements"),
    *agreements.urls(),
]
