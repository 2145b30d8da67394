from django.urls import path

from . import views

app_name = "coordination"
urlpatterns = [
    path("", views.home, name="home"),
    path("hoi-nghi/<int:pk>/", views.conference_detail, name="conference"),
    path("nhiem-vu/", views.tasks, name="tasks"),
    path("nhiem-vu/<int:pk>/", views.task_detail, name="task"),
    path("khen-thuong/", views.commendations, name="commendations"),
    path("quy-che/", views.agreements, name="agreements"),
]
