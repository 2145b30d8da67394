"""The one error type raised for input the extractor cannot read."""

from __future__ import annotations


class ExtractionInputError(ValueError):
    """Input that cannot be read as a Vietnamese narrative.

    Carries a Vietnamese message for the user interface and an English one for logs.
    ``str(error)`` gives the Vietnamese message followed by the English one.
    """

    def __init__(self, message_vi: str, message_en: str, *, code: str = "invalid_input") -> None:
        self.message_vi = message_vi
        self.message_en = message_en
        self.code = code
        super().__init__(f"{message_vi} ({message_en})")
