"""Medication safety: classes, daily morphine equivalents by the published factors, every warning at its
boundary, on the drug texts a Danish GP types.

Sources of the factors and thresholds checked here (also cited per entry in resources/medication/medication.yaml):
- CDC 2022: Dowell et al., CDC Clinical Practice Guideline for Prescribing Opioids for Pain, MMWR Recomm Rep
  2022;71(RR-3), MME table: morphine 1, oxycodone 1.5, hydromorphone 5, tramadol 0.2, tapentadol 0.4,
  codeine 0.15, methadone 4.7, fentanyl transdermal 2.4 per µg/h; 50 MME/day reassess, 90 MME/day high.
- Helsedirektoratet (Norwegian Directorate of Health), "Omregning til orale morfinekvivalenter (OMEQ)":
  ketobemidone oral 1, buprenorphine transdermal 92.5 per mg/day (2.22 per µg/h), buprenorphine sublingual 48,
  fentanyl sublingual/intranasal 250, pethidine rectal 0.1.
- CMS 2020 MME conversion factors: pethidine (meperidine) oral 0.1.
- FDA Drug Safety Communication 2019 / CDC 2022: opioid + gabapentinoid.
- Sundhedsstyrelsen VEJ nr. 9523 af 2019: hypnotics 1-2 weeks, anxiolytic benzodiazepines at most 4 weeks.
- Seed 001 (Smertecenter Syd): opioids for chronic pain in a depot formulation.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from smerteagent.core.careplan.medication import Catalogue, Medication, battery_context, display_mme
from smerteagent.paths import bundled_resources_dir

TODAY = date(2026, 11, 23)
PATH = bundled_resources_dir() / "medication" / "medication.yaml"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue.load(PATH)


@pytest.mark.parametrize(
    ("name", "dose", "mme"),
    [
        ("Morfin depottablet", 60, 60),  # CDC 2022
        ("Contalgin 30 mg", 60, 60),  # CDC 2022, morphine depot
        ("Dolcontin", 30, 30),  # CDC 2022
        ("OxyContin", 40, 60),  # CDC 2022 oxycodone 1.5
        ("Targin", 20, 30),  # CDC 2022 oxycodone 1.5 (with naloxone)
        ("oxycodon", 20, 30),
        ("Tramadol 50 mg x 4", 200, 40),  # CDC 2022 tramadol 0.2
        ("Dolol", 200, 40),
        ("Zaldiar", 150, 30),  # tramadol share: 4 × 37.5 mg
        ("Palexia", 100, 40),  # CDC 2022 tapentadol 0.4
        ("Kodein", 120, 18),  # CDC 2022 codeine 0.15
        ("Kodimagnyl", 19.2, 2.88),  # codeine share 2 × 9.6 mg
        ("Hydromorfon", 8, 40),  # CDC 2022 hydromorphone 5
        ("Metadon", 10, 47),  # CDC 2022 methadone 4.7
        ("Methadon", 10, 47),
        ("Fentanyl depotplaster", 25, 60),  # CDC 2022 transdermal 2.4 per µg/h
        ("Matrifen", 50, 120),
        ("Fentanyl 25 mikrogram/time", 25, 60),
        ("Ketogan 60 mg", 60, 60),  # Helsedirektoratet OMEQ: ketobemidone oral 1
        ("Norspan", 20, 44.4),  # Helsedirektoratet: buprenorphine transdermal 92.5 × 24/1000 = 2.22 per µg/h
        ("Transtec", 35, 77.7),
        ("Temgesic", 0.4, 19.2),  # Helsedirektoratet: buprenorphine sublingual 48
        ("Subutex", 8, 384),
        ("Suboxone", 8, 384),
        ("Effentora", 0.4, 100),  # Helsedirektoratet: fentanyl transmucosal 250 per mg
        ("Abstral", 0.2, 50),
        ("Instanyl næsespray", 0.2, 50),
        ("Petidin", 100, 10),  # CMS 2020: meperidine oral 0.1
        ("Petidin stikpiller", 100, 10),  # Helsedirektoratet: pethidine rectal 0.1
    ],
)
def test_daily_morphine_equivalents(catalogue: Catalogue, name: str, dose: float, mme: float) -> None:
    result = catalogue.mme(Medication(name, dose))
    assert result.value == pytest.approx(mme) and result.counted


@pytest.mark.parametrize(
    ("name", "unit", "reason"),
    [
        ("Fentanyl", "mg", "form_unknown"),  # buccal, sublingual, nasal or injection: the text does not say
        ("Morfin injektion", None, "no_factor"),  # no published oral-MME factor for parenteral morphine
        ("Ketogan stikpiller", None, "no_factor"),  # the OMEQ table gives no rectal ketobemidone factor
        ("Buvidal", None, "no_factor"),  # buprenorphine depot injection
        ("Oxycodon", "microgram_per_hour", "form_unknown"),  # no oxycodone patch exists
    ],
)
def test_an_opioid_without_a_factor_is_not_counted_and_says_why(
    catalogue: Catalogue, name: str, unit: str | None, reason: str
) -> None:
    result = catalogue.mme(Medication(name, 10, unit=unit))
    assert (result.value, result.counted, result.reason) == (None, False, reason)
    warnings = catalogue.warnings([Medication(name, 10, unit=unit)], TODAY)
    assert [(w.kind, w.detail) for w in warnings] == [("opioid_not_counted", reason)]


def test_an_opioid_without_a_dose_is_not_counted_out_loud(catalogue: Catalogue) -> None:
    assert catalogue.mme(Medication("Oxycodon", None)).reason == "no_dose"
    assert catalogue.daily_mme(Medication("Paracetamol", 4000)) is None
    assert not catalogue.mme(Medication("Paracetamol", 4000)).counted


@pytest.mark.parametrize(
    ("name", "atc", "drug_class"),
    [
        ("Stesolid 10 mg", "N05BA01", "benzodiazepine"),
        ("Oxapax oxazepam", "N05BA04", "benzodiazepine"),
        ("Risolid", "N05BA02", "benzodiazepine"),
        ("Xanor", "N05BA12", "benzodiazepine"),
        ("Xanor Depot", "N05BA12", "benzodiazepine"),
        ("Midazolam", "N05CD08", "benzodiazepine"),
        ("Triazolam", "N05CD05", "benzodiazepine"),
        ("Imovane", "N05CF01", "z_drug"),
        ("Imozop 7,5 mg", "N05CF01", "z_drug"),
        ("Lyrica", "N03AX16", "gabapentinoid"),
        ("Gabapentin", "N03AX12", "gabapentinoid"),
        ("Fentanyl", "N02AB03", "opioid"),
        ("Ketogan", "N02AG02", "opioid"),
        ("Contalgin", "N02AA01", "opioid"),
        ("Kodimagnyl", "N02AJ07", "opioid"),
        ("Ibuprofen", "M01AE01", "other_analgesic"),
        ("Panodil 500 mg", "N02BE01", "other_analgesic"),
        ("Magnyl", "N02BA01", "other_analgesic"),
        ("Hjertemagnyl", "B01AC06", "other"),
    ],
)
def test_classes_and_atc_codes(catalogue: Catalogue, name: str, atc: str, drug_class: str) -> None:
    found = catalogue.classify(name)
    assert (found.atc, found.drug_class) == (atc, drug_class)


def test_names_match_whole_words_with_danish_letters_folded(catalogue: Catalogue) -> None:
    assert catalogue.classify("KETOGAN").atc == "N02AG02"
    assert catalogue.classify("Instanyl næsespray").form == "nasal"
    assert not catalogue.classify("Morfinex").known  # 'morfin' inside another word is not morphine
    assert catalogue.classify("Palexia Depot 50 mg").form == "oral_depot"  # the longest name wins
    assert catalogue.classify("Palexia 50 mg").form == "oral_ir"


def test_an_unknown_drug_is_never_silently_other(catalogue: Catalogue) -> None:
    found = catalogue.classify("Zyxomol 10 mg")
    assert not found.known and found.drug_class is None
    assert catalogue.drug_class("Zyxomol") == "unclassified"
    warnings = catalogue.warnings([Medication("Zyxomol 10 mg", 10)], TODAY)
    assert [(w.kind, w.drugs) for w in warnings] == [("unclassified_drug", ("Zyxomol 10 mg",))]


def test_patches_are_in_micrograms_per_hour(catalogue: Catalogue) -> None:
    assert catalogue.classify("Norspan").unit == "microgram_per_hour"
    assert catalogue.classify("Fentanyl 25 mikrogram/time").form == "transdermal"
    assert catalogue.classify("Fentanyl", "microgram_per_hour").form == "transdermal"
    assert catalogue.classify("Norspan", "mg").unit_conflict
    assert catalogue.classify("Contalgin").unit == "mg"


def kinds(catalogue: Catalogue, medications: list[Medication], **options: bool) -> list[str]:
    return [w.kind for w in catalogue.warnings(medications, TODAY, **options)]


def test_the_issue_example_ketogan_with_stesolid(catalogue: Catalogue) -> None:
    medications = [Medication("Ketogan 60 mg", 60), Medication("Stesolid 10 mg", 10)]
    assert catalogue.total_mme(medications) == 60
    assert kinds(catalogue, medications) == ["opioid_with_benzodiazepine", "reassess_daily_mme"]
    assert battery_context(["Ketogan 60 mg", "Stesolid 10 mg"], catalogue) == {"on_opioids", "on_benzodiazepines"}


def test_opioid_with_benzodiazepine_or_z_drug(catalogue: Catalogue) -> None:
    assert kinds(catalogue, [Medication("Tramadol", 100), Medication("Diazepam", 5)]) == ["opioid_with_benzodiazepine"]
    assert "opioid_with_benzodiazepine" in kinds(catalogue, [Medication("Morfin", 10), Medication("Zopiclon", 7.5)])
    assert kinds(catalogue, [Medication("Diazepam", 5), Medication("Ibuprofen", 1200)]) == []


def test_opioid_with_gabapentinoid(catalogue: Catalogue) -> None:
    # FDA 2019 and CDC 2022: gabapentinoids add to opioids' respiratory depression
    assert kinds(catalogue, [Medication("Tramadol", 100), Medication("Lyrica", 150)]) == ["opioid_with_gabapentinoid"]
    assert kinds(catalogue, [Medication("Gabapentin", 900)]) == []
    assert kinds(catalogue, [Medication("Diazepam", 5), Medication("Pregabalin", 150)]) == []


def test_several_opioids(catalogue: Catalogue) -> None:
    assert kinds(catalogue, [Medication("Morfin", 10), Medication("Oxycodon", 10)]) == ["several_opioids"]
    assert kinds(catalogue, [Medication("Morfin", 10)]) == []


def test_daily_mme_thresholds_at_their_boundaries(catalogue: Catalogue) -> None:
    # CDC 2022: reassess at >= 50 MME/day, avoid >= 90 MME/day
    assert kinds(catalogue, [Medication("Morfin", 49.9)]) == []
    assert kinds(catalogue, [Medication("Morfin", 50)]) == ["reassess_daily_mme"]
    assert kinds(catalogue, [Medication("Morfin", 89.99)]) == ["reassess_daily_mme"]
    warning = catalogue.warnings([Medication("Oxycodon", 40), Medication("Morfin", 30)], TODAY)
    assert [w.kind for w in warning] == ["several_opioids", "high_daily_mme"] and warning[1].value == 90
    assert kinds(catalogue, [Medication("Matrifen", 37.5)]) == ["high_daily_mme"]  # 37.5 µg/h × 2.4 = 90


def test_display_never_rounds_up_across_a_threshold(catalogue: Catalogue) -> None:
    assert display_mme(89.99) == 89.9 and display_mme(90) == 90 and display_mme(30 * 0.15) == 4.5
    (warning,) = catalogue.warnings([Medication("Morfin", 89.99)], TODAY)
    assert "89.9" in catalogue.warning_text(warning) or "89,9" in catalogue.warning_text(warning)


def test_long_term_addictive_drug_needs_a_plan(catalogue: Catalogue) -> None:
    day_90 = TODAY - timedelta(days=90)
    day_91 = TODAY - timedelta(days=91)
    assert kinds(catalogue, [Medication("Pregabalin", 300, started_on=day_90)]) == []
    assert kinds(catalogue, [Medication("Pregabalin", 300, started_on=day_91)]) == ["long_term_without_plan"]
    assert kinds(catalogue, [Medication("Pregabalin", 300, started_on=day_91, has_tapering_plan=True)]) == []
    assert kinds(catalogue, [Medication("Ibuprofen", 1200, started_on=day_91)]) == []


def test_benzodiazepine_and_hypnotic_durations(catalogue: Catalogue) -> None:
    # VEJ 9523/2019: sleeping pills (N05CD, N05CF) 1-2 weeks; anxiolytic benzodiazepines at most 4 weeks
    assert kinds(catalogue, [Medication("Imovane", 7.5, started_on=TODAY - timedelta(days=14))]) == []
    assert kinds(catalogue, [Medication("Imovane", 7.5, started_on=TODAY - timedelta(days=15))]) == [
        "hypnotic_beyond_2_weeks"
    ]
    assert kinds(catalogue, [Medication("Oxapax", 15, started_on=TODAY - timedelta(days=28))]) == []
    assert kinds(catalogue, [Medication("Oxapax", 15, started_on=TODAY - timedelta(days=29))]) == [
        "benzodiazepine_beyond_4_weeks"
    ]
    tapering = Medication("Oxapax", 15, started_on=TODAY - timedelta(days=60), has_tapering_plan=True)
    assert kinds(catalogue, [tapering]) == []


def test_immediate_release_opioid_long_term_without_depot(catalogue: Catalogue) -> None:
    # seed 001, Smertecenter Syd: opioids for chronic pain in a depot formulation
    long_ago = TODAY - timedelta(days=91)
    ir = Medication("OxyNorm", 20, started_on=long_ago, re_evaluate_on=TODAY)
    assert kinds(catalogue, [ir]) == ["immediate_release_opioid_long_term"]
    assert kinds(catalogue, [Medication("OxyNorm", 20, started_on=TODAY - timedelta(days=90))]) == []
    with_depot = [ir, Medication("OxyContin", 10, started_on=long_ago, re_evaluate_on=TODAY)]
    assert kinds(catalogue, with_depot) == ["several_opioids"]


def test_open_suicide_risk_with_opioids_or_sedatives(catalogue: Catalogue) -> None:
    assert kinds(catalogue, [Medication("Contalgin", 20)], suicide_risk_open=True) == [
        "suicide_risk_with_addictive_drugs"
    ]
    assert kinds(catalogue, [Medication("Stesolid", 5)], suicide_risk_open=True) == [
        "suicide_risk_with_addictive_drugs"
    ]
    assert kinds(catalogue, [Medication("Contalgin", 20)]) == []
    assert kinds(catalogue, [Medication("Panodil", 3000)], suicide_risk_open=True) == []


def test_every_factor_names_a_source_the_catalogue_defines(catalogue: Catalogue) -> None:
    for entry in catalogue.entries.values():
        for form in entry.forms.values():
            assert (form.factor is None) == (form.source is None), (entry.atc, form.form)
            assert form.source is None or form.source in catalogue.sources, (entry.atc, form.source)
        for product in entry.products:
            assert product.form in entry.forms and set(product.forms) <= set(entry.forms), product


def test_battery_context_comes_from_the_class(catalogue: Catalogue) -> None:
    assert battery_context(["Ketogan"], catalogue) == {"on_opioids"}
    assert battery_context(["Xanor", "Imozop", "Lyrica"], catalogue) == {
        "on_benzodiazepines", "on_z_drugs", "on_gabapentinoids"
    }  # fmt: skip
    assert battery_context(["Zyxomol", "Panodil"], catalogue) == set()
