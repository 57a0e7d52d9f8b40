from django.contrib import admin

from .models import EcbRate


@admin.register(EcbRate)
class EcbRateAdmin(admin.ModelAdmin[EcbRate]):
    """« Taux de la BCE »: operators add the new rate when the ECB changes it; the intérêts
    moratoires of each half-year use the rate in force on its first day, + 8 points."""

    list_display = ["effective_from", "rate"]
    ordering = ["-effective_from"]
