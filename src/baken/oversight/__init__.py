"""Oversight: permissions for special powers (Wiv 2017, Tijdelijke wet), the bulk-dataset
lifecycle with destruction and its proof, and the CTIVD's view.

Subpackages: ``permissions`` (requests, decisions, reviews, terms, complaints, dashboards)
and ``lifecycle`` (legal basis of holdings, relevance assessment, destruction, extension).
"""
