"""A text written now and read later, in the reader's language (a background job's title).

Translating when the row is written would keep the writer's language: a job started in English would read
English to a Vietnamese office. A :class:`Text` keeps the catalogue's text (the Vietnamese msgid, its context)
and its parameters, stored as JSON, and is translated each time it is shown. A parameter is data (a file name, a
date), a Text itself (a translated name: a registry's title) or a period (core.periods.Period: its label in the
reader's language, "năm 2025" / "2025").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import get_language, gettext, override, pgettext

from .periods import Period, parse_period


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
            data["params"] = {k: _stored(v) for k, v in self.params.items()}
        return data

    @classmethod
    def from_json(cls, data: dict) -> Text:
        params = {k: _read(v) for k, v in (data.get("params") or {}).items()}
        return cls(str(data["msgid"]), params, str(data.get("context") or ""))

    def __str__(self) -> str:
        """The text in the active language."""
        text = pgettext(self.context, self.msgid) if self.context else gettext(self.msgid)
        if not self.params:
            return text
        return text % {k: _shown(v) for k, v in self.params.items()}

    def in_vietnamese(self) -> str:
        with override("vi"):
            return str(self)


def _stored(value):
    """A parameter as JSON: a Text (a lazy string becomes one) as its JSON, a period as its key, numbers and
    strings as they are, anything else as its text."""
    if isinstance(value, Text | Promise):
        return Text.of(value).as_json()
    if isinstance(value, Period):
        return {"period": value.key}
    if isinstance(value, int | float | str) or value is None:
        return value
    return str(value)


def _read(value):
    if isinstance(value, dict):
        return parse_period(value["period"]) if "period" in value else Text.from_json(value)
    return value


def _shown(value) -> str:
    if isinstance(value, Period):
        return value.label((get_language() or "vi")[:2])
    return str(value)
