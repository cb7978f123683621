"""The common base of refusals that services raise for domain reasons."""

from __future__ import annotations


class DomainError(ValueError):
    """The action is not allowed as asked; the message (a message id) says why.

    Routes that can show the message at a form catch it; anything that escapes is
    answered 422 by the web layer, with the message translated.
    """
