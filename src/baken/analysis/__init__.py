"""Analysis: from holdings to intelligence that reaches the people who need it.

Subpackages: ``tagging`` (themes and requirements), ``warning`` (indicator series,
anomalies, alerts), ``graph`` (entity neighbourhoods), ``products`` (products, approval,
dissemination, the partner portal) and ``exchange`` (STIX 2.1, MISP, FtM).
"""
