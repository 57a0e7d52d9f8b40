from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Chorale — administration"
admin.site.site_title = "Chorale"
admin.site.index_title = "Administration de la plateforme"

urlpatterns = [
    path("", include("chorale.ops.urls")),
    path("", include("chorale.portal.urls")),
    path("", include("chorale.flows.urls")),
    path("", include("chorale.api.urls")),
    path("", include("chorale.edi.urls")),
    path("sollicitations/", include("chorale.support.urls")),
    path("compte/", include("chorale.accounts.urls")),
    path("structures/", include("chorale.directory.urls")),
    path("structures/", include("chorale.structures.urls")),
    path("captcha/", include("captcha.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "chorale.api.handlers.not_found"
handler500 = "chorale.api.handlers.server_error"
