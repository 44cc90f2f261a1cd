"""Demo patients are valid, varied and Danish: real CPR numbers of nobody in particular."""

from __future__ import annotations

from datetime import date

from smerteagent.core.cpr import parse_cpr
from smerteagent.core.demo import patients


def test_demo_patients_have_valid_matching_cprs() -> None:
    people = list(patients(2000, seed=3, today=date(2026, 11, 23)))
    assert len({p.cpr for p in people}) == 2000
    for person in people:
        cpr = parse_cpr(person.cpr)
        assert (cpr.birth_date, cpr.sex) == (person.birth_date, person.sex)
        assert cpr.modulus11_ok
        assert 18 <= (date(2026, 11, 23) - person.birth_date).days // 365 <= 90
    women = sum(p.sex == "female" for p in people) / len(people)
    assert 0.5 < women < 0.6
    letters = set("".join(p.given_name + p.family_name for p in people).lower())
    assert {"æ", "ø", "å"} <= letters


def test_same_seed_same_patients() -> None:
    assert list(patients(50, seed=9, today=date(2026, 1, 1))) == list(patients(50, seed=9, today=date(2026, 1, 1)))


def test_demo_names_do_not_depend_on_the_day_they_are_made() -> None:
    from datetime import date

    from smerteagent.core import demo

    def names(today: date) -> list[tuple[str, str, str, float]]:
        return [(p.given_name, p.family_name, p.sex, p.burden) for p in demo.patients(300, seed=5, today=today)]

    assert names(date(2026, 11, 23)) == names(date(2026, 12, 3)) == names(date(2031, 2, 28))
