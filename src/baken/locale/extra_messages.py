"""Message ids that ``pybabel extract`` cannot see where they are used.

They are translated through a variable (``ctx._(title)``, ``_(item.status)``,
``_(name)``, ``ctx._(message)`` for form validation errors). Listing them here with
``N_`` puts them in ``messages.pot``, so ``pybabel update`` keeps their Dutch instead of
marking it obsolete. Nothing imports this at runtime; ``tests/test_i18n.py`` checks it.
"""

from __future__ import annotations

from baken.core.i18n import N_

# baken.web.errors.TITLES (test_i18n checks that every title is listed here)
ERROR_TITLES = (
    N_("The request could not be understood"),
    N_("Sign in first"),
    N_("You may not do this"),
    N_("Not found"),
    N_("This method is not allowed here"),
    N_("The request is too large"),
    N_("This type of content is not accepted"),
    N_("The data sent is not valid"),
    N_("Too many attempts; wait a moment"),
    N_("Something went wrong on our side"),
)

# The detail of the CSRF refusal in baken.web.errors.
ERROR_DETAILS = (N_("The form was out of date or not sent from Baken. Reload and try again."),)

# Status of a sanitisation request: _(s.status) in the templates.
STATUSES = (
    N_("requested"),
    N_("approved"),
    N_("rejected"),
)

# Field names of a sanitised version: _(name) in sanitisation.html.
FIELDS = (
    N_("title"),
    N_("body"),
    N_("reason"),
)

# Fixed validation messages (pydantic's own and the marking validators) that
# baken.web.forms.field_errors passes through ctx._(message).
VALIDATION = (
    N_("String should have at least 1 character"),
    N_("String should have at most 200 characters"),
    N_("String should have at most 20000 characters"),
    N_("Input should be 0, 1, 2, 3 or 4"),
    N_("Input should be 'AIVD', 'MIVD' or 'JOINT'"),
    N_("a list of codes"),
)

ALL = ERROR_TITLES + ERROR_DETAILS + STATUSES + FIELDS + VALIDATION
