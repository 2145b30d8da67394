"""A text written now and read later, in the reader's language (a background job's title).

Translating when the row is written would keep the writer's language: a job started in English would read
English to a Vietnamese office. A :class:`Text` keeps the catalogue's text (the Vietnamese msgid, its context)
and its parameters, stored as JSON, and is translated each time it is shown. A parameter is data (a file name, a
date) or a Text itself (a translated name: a registry's title).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext, override, pgettext


@dataclass(frozen=True)
class Text:
    msgid: str
    params: dict = field(default_factory=dict)
    context: str = ""

    @classmethod
    def of(cls, value) -> Text:
        """A Text from a Text, a lazily translated string (``gettext_lazy``/``pgettext_lazy``: its msgid) or a
        plain string (taken as the catalogue's text: translated when the catalogue has it, else shown as is)."""
        if isinstance(value, Text):
            return value
        if isinstance(value, Promise):
            args: tuple = tuple(getattr(value, "_args", ()))
            if len(args) == 1 and isinstance(args[0], str):
                return cls(args[0])
            if len(args) == 2 and all(isinstance(a, str) for a in args):
                return cls(args[1], context=args[0])
        return cls(str(value))

    def as_json(self) -> dict:
        data: dict = {"msgid": self.msgid}
        if self.context:
            data["context"] = self.context
        if self.params:
            data["params"] = {k: v.as_json() if isinstance(v, Text) else _plain(v) for k, v in self.params.items()}
        return data

    @classmethod
    def from_json(cls, data: dict) -> Text:
        params = {k: cls.from_json(v) if isinstance(v, dict) else v for k, v in (data.get("params") or {}).items()}
        return cls(str(data["msgid"]), params, str(data.get("context") or ""))

    def __str__(self) -> str:
        """The text in the active language."""
        text = pgettext(self.context, self.msgid) if self.context else gettext(self.msgid)
        if not self.params:
            return text
        return text % {k: str(v) for k, v in self.params.items()}

    def in_vietnamese(self) -> str:
        with override("vi"):
            return str(self)


def _plain(value):
    """A parameter stored as data: numbers and strings as they are, anything else as its text (lazy strings
    become a Text, translated when shown)."""
    if isinstance(value, Promise):
        return Text.of(value).as_json()
    if isinstance(value, (int, float, str)) or value is None:
        return value
    return str(value)
