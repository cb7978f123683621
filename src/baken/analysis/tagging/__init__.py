"""Analysis: tagging."""
