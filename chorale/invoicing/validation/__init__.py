"""Validation of the canonical invoice: findings with official rule ids and French messages."""

from .engine import Finding, validate

__all__ = ["Finding", "validate"]
