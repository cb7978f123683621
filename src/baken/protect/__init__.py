"""Protect: the security-promoting tasks beyond screenings (DOMAIN.md §5).

Subpackages: ``sweeps`` (electronic security investigations: secure rooms, sweeps by
interval and risk, findings until remediated, meetings planned in those rooms),
``industrial`` (industrial security under ABRO 2026 and ABDO 2019: suppliers, special
assignments, the NBIV investigation, the ABRO declaration and monitoring), ``resilience``
(advisories and information-security products with their audience; notifications to
victims of cyber operations, on the analysis module's products), ``threats`` (threat
products for the Stelsel Bewaken en Beveiligen, addressed to the deciding authority, with
the measures decided recorded back) and ``overview`` (the protect dashboard).
"""
