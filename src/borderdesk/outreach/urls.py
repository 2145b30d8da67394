from django.urls import path

from . import views
from .registries import ALL

app_name = "outreach"
urlpatterns = [path("", views.home, name="home")]
for _registry in ALL:
    urlpatterns += _registry.urls()
