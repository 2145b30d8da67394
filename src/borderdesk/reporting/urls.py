from django.urls import path

from . import catalogue_views, target_views, views

app_name = "reporting"
urlpatterns = [
    path("", views.home, name="home"),
    path("mo/", views.open_submission, name="open"),
    path("nhap/<int:pk>/", views.entry, name="entry"),
    path("nhap/<int:pk>/excel/", views.excel_download, name="excel"),
    path("nhap/<int:pk>/excel/nop/", views.excel_upload, name="excel_upload"),
    path("nhap/<int:pk>/xu-ly/<str:action>/", views.transition, name="transition"),
    path("nhap/<int:pk>/dinh-kem/", views.attachment_add, name="attachment_add"),
    path("dinh-kem/<int:pk>/", views.attachment_download, name="attachment"),
    path("dinh-kem/<int:pk>/xoa/", views.attachment_delete, name="attachment_delete"),
    path("cho-duyet/", views.review, name="review"),
    path("tong-hop/", views.consolidated, name="consolidated"),
    path("day-du/", views.completeness, name="completeness"),
    path("ke-hoach/", target_views.target_list, name="targets"),
    path("ke-hoach/mau/", target_views.target_template, name="targets_template"),
    path("ke-hoach/nhap/", target_views.target_import, name="targets_import"),
    path("ke-hoach/<int:pk>/xoa/", target_views.target_delete, name="target_delete"),
    path("chi-tieu/", catalogue_views.indicator_list, name="indicators"),
    path("chi-tieu/them/", catalogue_views.indicator_create, name="indicator_create"),
    path("chi-tieu/<str:code>/sua/", catalogue_views.indicator_edit, name="indicator_edit"),
    path("bieu-mau/", catalogue_views.form_list, name="forms"),
    path("bieu-mau/<slug:code>/", catalogue_views.form_detail, name="form_detail"),
    path("bieu-mau/<slug:code>/cua-tinh/", catalogue_views.form_copy, name="form_copy"),
    path("bieu-mau/<slug:code>/phien-ban-moi/", catalogue_views.form_new_version, name="form_new_version"),
    path("bieu-mau/<slug:code>/quy-tac/them/", catalogue_views.rule_edit, name="rule_create"),
    path("bieu-mau/<slug:code>/quy-tac/<int:rule_id>/", catalogue_views.rule_edit, name="rule_edit"),
]
