from django.contrib import admin
from django.urls import include, path

from americano.admin import pages

urlpatterns = [
    path("admin/database/", include(pages.urlpatterns())),
    path("admin/", admin.site.urls),
]
