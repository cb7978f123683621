"""Baken: the joint data and work platform of AIVD and MIVD (fictional demo)."""

__version__ = "0.1.0"
