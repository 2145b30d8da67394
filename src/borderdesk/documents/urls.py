from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("", views.home, name="home"),
    path("soan-nhieu/", views.draft_many, name="draft_many"),
    path("du-thao/<int:pk>/", views.draft_detail, name="draft"),
    path("du-thao/<int:pk>/docx/", views.draft_docx, name="draft_docx"),
    path("du-thao/<int:pk>/pdf/", views.draft_pdf, name="draft_pdf"),
    path("du-thao/<int:pk>/ban-hanh/", views.draft_issue, name="draft_issue"),
    path("du-thao/<int:pk>/muc/<int:index>/", views.draft_section, name="draft_section"),
    path("du-thao/<int:pk>/cap-nhat-so-lieu/", views.draft_refresh, name="draft_refresh"),
    path("du-thao/<int:pk>/gop-y/", views.draft_comment, name="draft_comment"),
    path("du-thao/<int:pk>/so-sanh/", views.draft_compare, name="draft_compare"),
    path("mau/<int:pk>/", views.template_edit, name="template"),
]
