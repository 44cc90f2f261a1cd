"""Errors that say what went wrong and where, so a clinic can fix a file or an answer itself."""

from __future__ import annotations


class SmerteAgentError(Exception):
    """Base of every error the program reports to a user as a plain message."""


class FormError(SmerteAgentError):
    """A form or battery file that cannot be used: names the file, the field path and the problem."""

    def __init__(self, file: str, field_path: str, problem: str) -> None:
        location = f"{file}: {field_path}" if field_path else file
        super().__init__(f"{location}: {problem}")
        self.file = file
        self.field_path = field_path
        self.problem = problem


class AnswerError(SmerteAgentError):
    """An answer that does not fit its form: unknown item, wrong type or out of range."""

    def __init__(self, item: str, value: object, problem: str) -> None:
        super().__init__(f"item {item!r}: {problem} (got {value!r})")
        self.item = item
        self.value = value
        self.problem = problem


class UnknownFormError(SmerteAgentError):
    """A form id that no bundled or user form file defines."""

    def __init__(self, form_id: str, known: list[str]) -> None:
        super().__init__(f"unknown form {form_id!r}; known forms: {', '.join(sorted(known))}")
        self.form_id = form_id
