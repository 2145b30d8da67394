from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("ma-truy-cap/", views.tokens, name="tokens"),
    path("ma-truy-cap/tao/", views.token_create, name="token_create"),
    path("ma-truy-cap/<int:pk>/thu-hoi/", views.token_revoke, name="token_revoke"),
]
