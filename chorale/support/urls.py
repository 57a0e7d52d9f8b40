from django.urls import path

from . import views

app_name = "support"

SIDE = "<str:side>"  # "emises" or "recues"

urlpatterns = [
    path("emises/", views.sent_list, name="sent"),
    path("emises/nouvelle/", views.request_new, name="new"),
    path("emises/<int:pk>/", views.sent_detail, name="sent_detail"),
    path("recues/", views.received_list, name="received"),
    path("recues/<int:pk>/", views.received_detail, name="received_detail"),
    path("recues/<int:pk>/prise-en-charge/", views.assign, name="assign"),
    path(f"{SIDE}/<int:pk>/cloturer/", views.close, name="close"),
    path(f"{SIDE}/<int:pk>/rouvrir/", views.reopen, name="reopen"),
    path(
        f"{SIDE}/<int:pk>/pieces-jointes/<int:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
]
