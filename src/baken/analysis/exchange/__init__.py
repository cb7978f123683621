"""Analysis: exchange."""
