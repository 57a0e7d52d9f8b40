from django.urls import path

from .views import creation, manager, memberships

app_name = "structures"

urlpatterns = [
    path("rattachements/", memberships.memberships, name="memberships"),
    path("rattachements/supprimer/", memberships.memberships_leave, name="memberships_leave"),
    path("<int:pk>/rattachement/", memberships.attachment_request, name="attachment_request"),
    path("espaces/ajouter/", memberships.space_add, name="space_add"),
    path("<int:pk>/", creation.structure_detail, name="detail"),
    path("<int:pk>/valider/", creation.structure_validate, name="validate"),
    path("<int:pk>/mandat/", creation.mandate, name="mandate"),
    path("gestion/", manager.manager_home, name="manager_home"),
    path("<int:pk>/gestion/", manager.manage, name="manage"),
    path(
        "<int:pk>/gestion/demandes/<int:request_id>/",
        manager.request_decide,
        name="request_decide",
    ),
    path(
        "<int:pk>/gestion/espaces/<int:subscription_id>/",
        manager.space_decide,
        name="space_decide",
    ),
    path("<int:pk>/gestion/membres/<int:member_id>/", manager.member_action, name="member_action"),
    path("<int:pk>/gestion/services/", manager.service_save, name="service_create"),
    path("<int:pk>/gestion/services/<int:service_id>/", manager.service_save, name="service_edit"),
    path("<int:pk>/gestion/parametres/", manager.parameters_save, name="parameters"),
    path("<int:pk>/gestion/banque/", manager.bank_account_add, name="bank_account_add"),
]
