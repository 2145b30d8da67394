from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<uuid:pk>/", views.job_detail, name="detail"),
    path("chay/<str:kind>/", views.job_start, name="start"),
    path("<uuid:pk>/tep/", views.job_file, name="file"),
    path("xuat-nhat-ky/", views.changelog_export, name="changelog_export"),
]
