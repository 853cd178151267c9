"""The project's one error type, and its Azure flavour.

Every failure that reaches a screen is a ``DmsTuiError``: a plain-words message, the
original code (ARM error code, SQLSTATE, ...) kept for the support ticket, and a hint
that says what to do about it.
"""

from __future__ import annotations


class DmsTuiError(Exception):
    """Base error: ``code`` is the original code, ``message`` plain words, ``hint`` the fix."""

    def __init__(self, message: str, *, code: str = "", hint: str = "", status: int | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.hint = hint
        self.status = status

    def __str__(self) -> str:
        text = self.message
        if self.code:
            text = f"{text} [{self.code}]"
        return text

    @property
    def full_text(self) -> str:
        """Message, code and hint in one paragraph, for an error dialog."""
        parts = [str(self)]
        if self.hint:
            parts.append(self.hint)
        return "\n".join(parts)


class AzureError(DmsTuiError):
    """An Azure Resource Manager call failed; ``code`` is the ARM error code."""


class SignInError(DmsTuiError):
    """No credential could be had, or the one in use was refused."""
