"""The common base of refusals that services raise for domain reasons."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from baken.core import i18n


@dataclass(frozen=True)
class InLocale:
    """A parameter of a message that is itself in the reader's language (labels of codes,
    say): ``render(locale)`` gives its text. Outside a translation (logs, the audit
    trail) it reads in Dutch."""

    render: Callable[[str], str]

    def __str__(self) -> str:
        return self.render("nl")


class DomainError(ValueError):
    """The action is not allowed as asked; the message (a message id) says why.

    ``params`` fill the named fields (``{line}``) of the message after translation; an
    :class:`InLocale` parameter is rendered in the same language. Routes that can show the
    message at a form catch it; anything that escapes is answered 422 by the web layer,
    with the message translated.
    """

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params

    def __str__(self) -> str:
        return self.message.format(**self.params) if self.params else self.message

    def translate(self, locale: str) -> str:
        text = i18n.gettext(locale, self.message)
        if not self.params:
            return text
        return text.format(
            **{
                k: v.render(locale) if isinstance(v, InLocale) else v
                for k, v in self.params.items()
            }
        )
