from django.urls import path

from . import views
from .registries import ALL

app_name = "gates"
urlpatterns = [
    path("", views.home, name="home"),
    path("nhat-ky-qua-lai/", views.log_import, name="log_import"),
]
for _registry in ALL:
    urlpatterns += _registry.urls()
