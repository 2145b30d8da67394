from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.home, name="home"),
    path("tinh/", views.province, name="province"),
    path("toan-quoc/", views.national, name="national"),
    path("ban-do/", views.map_page, name="map"),
    path("cua-khau/", views.gates, name="gates"),
]
