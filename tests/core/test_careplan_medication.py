"""Medication safety: classes, daily morphine equivalents by the published factors, every warning at its
boundary. Factors and thresholds: CDC Clinical Practice Guideline 2022 (Dowell et al., MMWR 71(3))."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from smerteagent.core.careplan.medication import Catalogue, Medication
from smerteagent.paths import bundled_resources_dir

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue.load(bundled_resources_dir() / "medication" / "medication.yaml")


@pytest.mark.parametrize(
    ("name", "dose", "mme"),
    [
        ("Morfin depottablet", 60, 60),
        ("OxyContin", 40, 60),
        ("oxycodon", 20, 30),
        ("Tramadol 50 mg x 4", 200, 40),
        ("Palexia", 100, 40),
        ("Kodein", 120, 18),
        ("Hydromorfon", 8, 40),
        ("Metadon", 10, 47),
        ("Fentanyl depotplaster", 25, 60),
    ],
)
def test_daily_morphine_equivalents(catalogue: Catalogue, name: str, dose: float, mme: float) -> None:
    assert catalogue.daily_mme(Medication(name, dose)) == pytest.approx(mme)


def test_no_equivalent_without_a_published_factor_or_dose(catalogue: Catalogue) -> None:
    assert catalogue.daily_mme(Medication("Buprenorphin plaster", 10)) is None
    assert catalogue.daily_mme(Medication("Fentanyl næsespray", 100)) is None
    assert catalogue.daily_mme(Medication("Oxycodon", None)) is None
    assert catalogue.daily_mme(Medication("Paracetamol", 4000)) is None


@pytest.mark.parametrize(
    ("name", "drug_class"),
    [("Stesolid", "benzodiazepine"), ("Oxapax oxazepam", "benzodiazepine"), ("Imovane", "z_drug"),
     ("Lyrica", "gabapentinoid"), ("Gabapentin", "gabapentinoid"), ("Fentanyl", "opioid"),
     ("Ibuprofen", "other")],
)  # fmt: skip
def test_classes(catalogue: Catalogue, name: str, drug_class: str) -> None:
    assert catalogue.drug_class(name) == drug_class


def kinds(catalogue: Catalogue, medications: list[Medication]) -> list[str]:
    return [w.kind for w in catalogue.warnings(medications, TODAY)]


def test_opioid_with_benzodiazepine_or_z_drug(catalogue: Catalogue) -> None:
    assert kinds(catalogue, [Medication("Tramadol", 100), Medication("Diazepam", 5)]) == ["opioid_with_benzodiazepine"]
    assert "opioid_with_benzodiazepine" in kinds(catalogue, [Medication("Morfin", 10), Medication("Zopiclon", 7.5)])
    assert kinds(catalogue, [Medication("Diazepam", 5), Medication("Pregabalin", 150)]) == []


def test_several_opioids(catalogue: Catalogue) -> None:
    assert kinds(catalogue, [Medication("Morfin", 10), Medication("Oxycodon", 10)]) == ["several_opioids"]
    assert kinds(catalogue, [Medication("Morfin", 10)]) == []


def test_daily_mme_thresholds_at_their_boundaries(catalogue: Catalogue) -> None:
    assert kinds(catalogue, [Medication("Morfin", 49.9)]) == []
    assert kinds(catalogue, [Medication("Morfin", 50)]) == ["reassess_daily_mme"]
    assert kinds(catalogue, [Medication("Morfin", 89.9)]) == ["reassess_daily_mme"]
    warning = catalogue.warnings([Medication("Oxycodon", 40), Medication("Morfin", 30)], TODAY)
    assert [w.kind for w in warning] == ["several_opioids", "high_daily_mme"] and warning[1].value == 90


def test_long_term_addictive_drug_needs_a_plan(catalogue: Catalogue) -> None:
    day_90 = TODAY - timedelta(days=90)
    day_91 = TODAY - timedelta(days=91)
    assert kinds(catalogue, [Medication("Pregabalin", 300, started_on=day_90)]) == []
    assert kinds(catalogue, [Medication("Pregabalin", 300, started_on=day_91)]) == ["long_term_without_plan"]
    assert kinds(catalogue, [Medication("Pregabalin", 300, started_on=day_91, has_tapering_plan=True)]) == []
    assert kinds(catalogue, [Medication("Oxazepam", 15, started_on=day_91, re_evaluate_on=TODAY)]) == []
    assert kinds(catalogue, [Medication("Ibuprofen", 1200, started_on=day_91)]) == []
