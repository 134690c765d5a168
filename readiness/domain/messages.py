"""Translatable messages of the domain: the N_ extraction marker and the Message value.

The domain stays free of Flask and Babel: a message to people is a `Message`, a string whose value
is the English text (so English output and comparisons are unchanged) and which also carries its
`%`-style template and parameters. Whoever shows it translates it with `localise_message(value,
gettext)`, where `gettext` is any one-argument translation function (Flask-Babel's, the CLI's).
Templates are marked with `N_` so that `pybabel extract -k N_` puts them into messages.pot.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

Gettext = Callable[[str], str]


def N_(message: str) -> str:  # noqa: N802 - the customary gettext marker name
    """Mark `message` for extraction into the catalogs; it is translated where it is shown."""
    return message


class Message(str):
    """A message to people: its English text (the string value), template and parameters."""

    template: str
    params: Mapping[str, Any]

    def __new__(cls, template: str, **params: Any) -> Message:
        # Like gettext(template, **params): a template without parameters is not %-formatted.
        text = template % params if params else template
        self = super().__new__(cls, text)
        self.template = template
        self.params = MappingProxyType(params)
        return self

    def __repr__(self) -> str:
        return f"Message({self.template!r}, {dict(self.params)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.template, dict(self.params)))

    def localised(self, gettext: Gettext) -> str:
        """This message translated by `gettext` (parameters that are Messages too)."""
        return localise_message(self, gettext)


def _rebuild(template: str, params: dict[str, Any]) -> Message:
    """A Message from its template and parameters (for pickling and copying)."""
    return Message(template, **params)


def localise_message(value: object, gettext: Gettext) -> str:
    """`value` translated by `gettext`: a Message, or an object with a `localised(gettext)`
    method (Problem, AnswerError, QuestionnaireError); anything else as str(value).

    A translation whose placeholders do not fit falls back to the English text, so a catalog
    mistake never hides the message.
    """
    if not isinstance(value, Message):
        localised = getattr(value, "localised", None)
        return localised(gettext) if callable(localised) else str(value)
    template = gettext(value.template)
    if not value.params:
        return template
    params = {
        key: localise_message(param, gettext) if isinstance(param, Message) else param
        for key, param in value.params.items()
    }
    try:
        return template % params
    except (KeyError, TypeError, ValueError):
        return str(value)
