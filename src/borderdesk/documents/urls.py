from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("", views.home, name="home"),
    path("du-thao/<int:pk>/", views.draft_detail, name="draft"),
    path("du-thao/<int:pk>/docx/", views.draft_docx, name="draft_docx"),
    path("du-thao/<int:pk>/pdf/", views.draft_pdf, name="draft_pdf"),
    path("du-thao/<int:pk>/ban-hanh/", views.draft_issue, name="draft_issue"),
    path("mau/<int:pk>/", views.template_edit, name="template"),
]
