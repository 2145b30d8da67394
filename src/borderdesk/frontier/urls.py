from django.urls import path

from . import views
from .registries import ALL, REFERENCE

app_name = "frontier"
urlpatterns = [
    path("", views.home, name="home"),
    path("ban-do/", views.map_page, name="map"),
    path("vu-viec/<int:pk>/buoc/<str:to>/", views.incident_step, name="incident_step"),
    path("vu-viec/<int:pk>/gop/", views.incident_merge, name="incident_merge"),
    path("kiem-tra-moc/<int:pk>/anh/", views.inspection_photo, name="inspection_photo"),
    path("anh-kiem-tra/<int:pk>/", views.inspection_photo_file, name="inspection_photo_file"),
]
for _registry in [*ALL, *REFERENCE]:
    urlpatterns += _registry.urls()
