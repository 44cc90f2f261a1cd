"""Search: any part of name or CPR, æ/ø/å folded (aa ~ å), 1-2 letter prefixes, newest activity first."""

from __future__ import annotations

import pytest

from smerteagent.core.patients import PatientInput
from smerteagent.storage.services import Services

PEOPLE = [
    ("Søren", "Ærø", "010170-1111"),
    ("Åse", "Aabenraa", "020270-2222"),
    ("Jens", "Hansen", "030370-3333"),
    ("Anne Marie", "Østergaard", "040470-4444"),
    ("Bjørn", "Kjær", "050570-5555"),
]


@pytest.fixture
def ids(services: Services) -> dict[str, int]:
    found = {}
    for given, family, cpr in PEOPLE:
        patient, _ = services.patients.add(PatientInput(given, family, cpr=cpr))
        found[family] = patient.id
    return found


def names(services: Services, query: str) -> list[str]:
    return [p.family_name for p in services.patients.search(query)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ærø", ["Ærø"]),
        ("ÆRØ", ["Ærø"]),
        ("aeroe", ["Ærø"]),
        ("abenr", ["Aabenraa"]),
        ("åbenrå", ["Aabenraa"]),
        ("aabenraa", ["Aabenraa"]),
        ("østerg", ["Østergaard"]),
        ("oestergård", ["Østergaard"]),
        ("marie", ["Østergaard"]),
        ("anne øst", ["Østergaard"]),
        ("kjær bjørn", ["Kjær"]),
        ("kjaer", ["Kjær"]),
        ("030370", ["Hansen"]),
        ("030370-3333", ["Hansen"]),
        ("70-33", []),
        ("nobody", []),
    ],
)
def test_search_terms(services: Services, ids: dict[str, int], query: str, expected: list[str]) -> None:
    assert names(services, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [("h", {"Hansen"}), ("ø", {"Østergaard"}), ("aa", {"Aabenraa", "Åse"}), ("ja", set()), ("05", {"Kjær"})],
)
def test_one_and_two_letter_prefixes(services: Services, ids: dict[str, int], query: str, expected: set[str]) -> None:
    found = {p.family_name for p in services.patients.search(query)}
    expected_families = {"Aabenraa" if name == "Åse" else name for name in expected}
    assert found == expected_families


def test_newest_activity_first_and_limit(services: Services, ids: dict[str, int]) -> None:
    encounter = services.screenings.start_encounter(ids["Hansen"], "gp")
    assert encounter.patient_id == ids["Hansen"]
    assert names(services, "")[0] == "Hansen"
    assert services.patients.recent(limit=2)[0].family_name == "Hansen"
    assert len(services.patients.search("", limit=3)) == 3


def test_edit_updates_the_index(services: Services, ids: dict[str, int]) -> None:
    patient = services.patients.get(ids["Kjær"])
    services.patients.update(patient.id, PatientInput("Bjørn", "Lægaard", cpr="050570-5555"), patient.version)
    assert names(services, "kjær") == []
    assert names(services, "laegaard") == ["Lægaard"]
