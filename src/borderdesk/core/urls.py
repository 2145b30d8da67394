from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("nhat-ky/", views.changelog, name="changelog"),
    path("nhat-ky/xuat.csv", views.changelog_export, name="changelog_export"),
    path("nhat-ky/<int:pk>/", views.changelog_entry, name="changelog_entry"),
]
