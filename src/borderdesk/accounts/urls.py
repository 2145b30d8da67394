from django.contrib.auth import views as auth_views
from django.urls import path

from . import user_views, views

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", user_views.password_change, name="password_change"),
    path("ma-truy-cap/", views.tokens, name="tokens"),
    path("ma-truy-cap/tao/", views.token_create, name="token_create"),
    path("ma-truy-cap/<int:pk>/thu-hoi/", views.token_revoke, name="token_revoke"),
    path("nguoi-dung/", user_views.users, name="users"),
    path("nguoi-dung/tao/", user_views.user_create, name="user_create"),
    path("nguoi-dung/tao-hang-loat/", user_views.bulk_page, name="bulk"),
    path("nguoi-dung/tao-hang-loat/mau/", user_views.bulk_template, name="bulk_template"),
    path("nguoi-dung/<int:pk>/", user_views.user_detail, name="user"),
    path("nguoi-dung/<int:pk>/vai-tro/", user_views.role_add, name="role_add"),
    path("nguoi-dung/<int:pk>/khoa/", user_views.user_active, name="user_active"),
    path("nguoi-dung/<int:pk>/dat-lai-mat-khau/", user_views.password_reset, name="password_reset"),
    path("vai-tro/<int:pk>/ket-thuc/", user_views.role_end, name="role_end"),
]
