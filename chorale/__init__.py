"""Chorale: an open-source e-invoicing exchange platform."""
