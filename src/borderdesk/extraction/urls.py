from django.urls import path

from . import views

app_name = "extraction"
urlpatterns = [
    path("", views.home, name="home"),
    path("tai-len/", views.upload, name="upload"),
    path("van-ban/<int:pk>/", views.document_detail, name="document"),
    path("van-ban/<int:pk>/de-xuat/<int:proposal_pk>/", views.proposal_decide, name="decide"),
    path("van-ban/<int:pk>/dua-vao-bao-cao/", views.document_import, name="import"),
]
