"""Sent once invoice events are written (inside the writing transaction), with `events`: the
list of new InvoiceEvent rows. Webhooks (chorale.api) listen; bulk writes send it too."""

from django.dispatch import Signal

events_written = Signal()
