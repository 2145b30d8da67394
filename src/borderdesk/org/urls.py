from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("don-vi/<int:pk>/", views.unit_detail, name="unit"),
    path("co-quan/", views.agencies, name="agencies"),
    path("co-quan/<int:pk>/", views.agency_detail, name="agency"),
    path("co-quan/<int:pk>/doi-ten/", views.agency_rename, name="agency_rename"),
    path("co-quan/<int:pk>/sua/", views.agency_edit, name="agency_edit"),
    path("co-quan/<int:pk>/ket-thuc/", views.agency_close, name="agency_close"),
    path("ban-chi-dao/", views.committees, name="committees"),
    path("ban-chi-dao/<int:pk>/", views.committee_detail, name="committee"),
    path("ban-chi-dao/<int:pk>/them-thanh-vien/", views.membership_add, name="membership_add"),
    path("thanh-vien/<int:pk>/ket-thuc/", views.membership_end, name="membership_end"),
    path("doi-tac/", views.counterparts, name="counterparts"),
    path("doi-tac/them/", views.counterpart_form, name="counterpart_add"),
    path("doi-tac/<int:pk>/sua/", views.counterpart_form, name="counterpart_edit"),
]
