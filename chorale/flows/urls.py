from django.urls import path

from . import views

app_name = "flows"

urlpatterns = [
    path("factures-emises/deposer/", views.deposit, name="deposit"),
    path("factures-emises/saisir/", views.invoice_entry, name="entry"),
    path("factures-emises/deposer-pdf/", views.deposit_pdf, name="deposit_pdf"),
    path("destinataires/", views.recipient_lookup, name="recipient_lookup"),
    path("flux/", views.flow_list, name="flows"),
    path("flux/<str:number>/", views.flow_detail, name="flow"),
    path("flux/<str:number>/etat/", views.flow_state, name="flow_state"),
    path("flux/<str:number>/compte-rendu.pdf", views.flow_report_download, name="flow_report"),
]
