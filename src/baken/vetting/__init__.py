"""Vetting: security screenings under the Wet veiligheidsonderzoeken (Wvo).

Subpackages: ``positions`` (vertrouwensfuncties and designated locations),
``screenings`` (requests, the investigation, the legal clock, decisions, objection and
appeal, renewal and withdrawal; the VGB), ``register`` (the register of active
vertrouwensfunctionarissen), ``portal`` (the employer's side: requests, status, delay
notices) and ``capacity`` (a discrete-event simulation of the
screening queue). Who may act for an employer is in :mod:`baken.vetting.access`.
"""
