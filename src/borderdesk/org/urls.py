from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("don-vi/<int:pk>/", views.unit_detail, name="unit"),
    path("co-quan/", views.agencies, name="agencies"),
    path("ban-chi-dao/", views.committees, name="committees"),
    path("ban-chi-dao/<int:pk>/", views.committee_detail, name="committee"),
]
