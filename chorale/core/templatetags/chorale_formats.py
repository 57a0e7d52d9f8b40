from django import template

from chorale.core import formats

register = template.Library()

register.filter("money", formats.money)
register.filter("number", formats.number)
register.filter("duration", formats.duration)
