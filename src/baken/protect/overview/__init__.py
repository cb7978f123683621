"""Protect (overview)."""
