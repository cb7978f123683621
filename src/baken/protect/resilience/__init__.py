"""Protect (resilience)."""
