"""Analysis: products."""
