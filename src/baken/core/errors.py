"""The common base of refusals that services raise for domain reasons."""

from __future__ import annotations

from baken.core import i18n


class DomainError(ValueError):
    """The action is not allowed as asked; the message (a message id) says why.

    ``params`` fill the named fields (``{line}``) of the message after translation. Routes that can
    show the message at a form catch it; anything that escapes is answered 422 by the web
    layer, with the message translated.
    """

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params

    def __str__(self) -> str:
        return self.message.format(**self.params) if self.params else self.message

    def translate(self, locale: str) -> str:
        text = i18n.gettext(locale, self.message)
        return text.format(**self.params) if self.params else text
