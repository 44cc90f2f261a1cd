"""Helpers for building answer sets in instrument tests."""

from __future__ import annotations


def items(prefix: str, first: int, last: int) -> list[str]:
    return [f"{prefix}{i}" for i in range(first, last + 1)]


def q(first: int, last: int) -> list[str]:
    return items("q", first, last)


def with_sum(ids: list[str], total: int, highest: int) -> dict[str, int]:
    """Answers to ``ids`` whose plain sum is ``total``, filled from the first item up."""
    answers = {}
    for item in ids:
        value = min(highest, total)
        answers[item] = value
        total -= value
    assert total == 0, "total out of reach"
    return answers


def same(ids: list[str], value: int) -> dict[str, int]:
    return dict.fromkeys(ids, value)
