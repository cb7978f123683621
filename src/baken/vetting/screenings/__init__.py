"""Vetting: screenings."""
