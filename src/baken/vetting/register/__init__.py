"""Vetting: register."""
