"""The quality report's checkpoints read exactly at their boundaries (dates, durations, flags), its counts and
worklists, the outcomes, and a sample reproducible from its seed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from smerteagent.core.careplan.plan import CarePlan, InformedConsent, PlannedMedication, ReceivedLetter, TaperingPlan
from smerteagent.core.errors import SmerteAgentError
from smerteagent.core.quality.checkpoints import FULFILLED, NOT_FULFILLED, NOT_RELEVANT, evaluate
from smerteagent.core.quality.records import PatientRecord, Screening
from smerteagent.core.quality.report import build_report, draw_sample
from smerteagent.core.quality.rules import bundled_rules
from smerteagent.i18n import speaking

END = date(2026, 6, 30)
START = date(2025, 7, 1)
RULES = bundled_rules()
ALL_RISKS = ("dependence", "tolerance_withdrawal", "driving", "combination", "overdose_naloxone")


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour)


def screening(form: str, day: date, response_id: int = 1, flags: tuple[str, ...] = (), total: float | None = None,
              band: str | None = None) -> Screening:  # fmt: skip
    return Screening(response_id, form, at(day), band, total, frozenset(flags))


def opioid(**changes: object) -> PlannedMedication:
    good = PlannedMedication("Oxycodon", "30 mg x 2", 60, END - timedelta(days=200), END, None, "Rygsmerter",
                             END - timedelta(days=30), "Effekt: PEG 7 → 5")  # fmt: skip
    return replace(good, **changes)  # type: ignore[arg-type]


def plan(*medications: PlannedMedication, made: date = date(2026, 1, 10), **changes: object) -> CarePlan:
    good = CarePlan(1, medications=medications, abuse_stance="Ingen tegn på misbrug",
                    consent=InformedConsent(date(2026, 1, 10), "Opioidbehandling", ALL_RISKS, "Læge Holm"),
                    medication_reviewed_on=date(2026, 1, 10), created_at=at(made))  # fmt: skip
    return replace(good, **changes)  # type: ignore[arg-type]


def record(*plans: CarePlan, screenings: tuple[Screening, ...] = (), actions: dict | None = None,
           visits: tuple[date, ...] = (date(2026, 3, 1),), patient_id: int = 1) -> PatientRecord:  # fmt: skip
    return PatientRecord(patient_id, f"Patient {patient_id}", None, visits, screenings, actions or {}, plans)


def status(found: PatientRecord, checkpoint: str, day: date = END) -> str:
    return next(f.status for f in evaluate(found, RULES, day) if f.checkpoint == checkpoint)


def test_the_rules_carry_the_authoritys_numbers_and_titles() -> None:
    numbers = {c.id: c.number for c in RULES.checkpoints}
    assert numbers == {"indication_follow_up": 9, "psychiatric_comorbidity": 10, "suicide_risk": 11,
                       "abuse_stance": 12, "medication_review": 13, "tapering_plan": 14, "consent": 16,
                       "discharge_summaries": 17}  # fmt: skip
    assert RULES.by_id("discharge_summaries").title.da == "Journalgennemgang af vurdering af epikriser"
    assert all("Målepunkt" in c.guidance_text(language) for c in RULES.checkpoints for language in ("da", "en"))


@pytest.mark.parametrize(("days_before", "expected"), [(0, FULFILLED), (365, FULFILLED), (366, NOT_FULFILLED),
                                                       (-1, NOT_FULFILLED)])  # fmt: skip
def test_psychiatric_comorbidity_within_365_days(days_before: int, expected: str) -> None:
    found = record(screenings=(screening("phq4", END - timedelta(days=days_before)),))
    assert status(found, "psychiatric_comorbidity") == expected
    assert status(record(screenings=(screening("peg", END),)), "psychiatric_comorbidity") == NOT_FULFILLED


def test_suicide_risk_needs_an_assessment_and_an_action_on_every_flag_by_the_end() -> None:
    flagged = screening("phq9", END - timedelta(days=10), 7, ("suicide_risk",))
    assert status(record(screenings=(flagged,)), "suicide_risk") == NOT_FULFILLED
    on_time = {(7, "suicide_risk"): at(END, 23)}
    assert status(record(screenings=(flagged,), actions=on_time), "suicide_risk") == FULFILLED
    late = {(7, "suicide_risk"): at(END + timedelta(days=1), 0)}
    assert status(record(screenings=(flagged,), actions=late), "suicide_risk") == NOT_FULFILLED
    other_flag = {(7, "suicide_risk_imminent"): at(END)}
    assert status(record(screenings=(flagged,), actions=other_flag), "suicide_risk") == NOT_FULFILLED
    item_missing = screening("phq9", END, 8, ("suicide_item_missing",))
    assert status(record(screenings=(item_missing,)), "suicide_risk") == NOT_FULFILLED
    assert (
        status(record(screenings=(screening("cssrs_screener", END - timedelta(days=365)),)), "suicide_risk")
        == FULFILLED
    )
    after_end = screening("asq", END + timedelta(days=1), 9, ("suicide_risk",))
    assert status(record(screenings=(screening("asq", END), after_end)), "suicide_risk") == FULFILLED


def test_abuse_stance_only_for_dependence_forming_drugs() -> None:
    assert status(record(plan(PlannedMedication("Paracetamol", None, 3000))), "abuse_stance") == NOT_RELEVANT
    assert status(record(plan(opioid())), "abuse_stance") == FULFILLED
    without = record(plan(opioid(), abuse_stance=None))
    assert status(without, "abuse_stance") == NOT_FULFILLED
    screened = replace(without, screenings=(screening("auditc", END - timedelta(days=365)),))
    assert status(screened, "abuse_stance") == FULFILLED
    assert (
        status(replace(without, screenings=(screening("auditc", END - timedelta(days=366)),)), "abuse_stance")
        == NOT_FULFILLED
    )


REVIEWS = [(END - timedelta(days=365), FULFILLED), (END - timedelta(days=366), NOT_FULFILLED),
           (END + timedelta(days=1), NOT_FULFILLED), (None, NOT_FULFILLED)]  # fmt: skip


@pytest.mark.parametrize(("reviewed", "expected"), REVIEWS)
def test_medication_review_within_365_days(reviewed: date | None, expected: str) -> None:
    assert status(record(plan(medication_reviewed_on=reviewed)), "medication_review") == expected
    assert status(record(), "medication_review") == NOT_FULFILLED


@pytest.mark.parametrize(("days", "expected"), [(90, NOT_RELEVANT), (91, NOT_FULFILLED)])
def test_tapering_plan_from_more_than_three_months(days: int, expected: str) -> None:
    drug = opioid(started_on=END - timedelta(days=days), re_evaluate_on=None)
    assert status(record(plan(drug)), "tapering_plan") == expected
    assert status(record(plan(replace(drug, re_evaluate_on=END))), "tapering_plan") in (FULFILLED, NOT_RELEVANT)
    taper = TaperingPlan(60, 10, 14, END)
    assert status(record(plan(replace(drug, tapering=taper))), "tapering_plan") in (FULFILLED, NOT_RELEVANT)


def test_a_drug_without_a_start_date_counts_as_long_term() -> None:
    assert status(record(plan(opioid(started_on=None, re_evaluate_on=None))), "tapering_plan") == NOT_FULFILLED


def test_indication_and_follow_up_per_addictive_drug() -> None:
    assert status(record(plan(opioid())), "indication_follow_up") == FULFILLED
    assert status(record(plan(opioid(re_evaluate_on=END - timedelta(days=1)))), "indication_follow_up") == NOT_FULFILLED
    assert status(record(plan(opioid(indication=" "))), "indication_follow_up") == NOT_FULFILLED
    assert status(record(plan(opioid(evaluation_result=None))), "indication_follow_up") == NOT_FULFILLED
    assert status(record(plan(opioid(evaluated_on=END + timedelta(days=1)))), "indication_follow_up") == NOT_FULFILLED
    assert status(record(plan(PlannedMedication("Ibuprofen"))), "indication_follow_up") == NOT_RELEVANT
    gaba = PlannedMedication("Pregabalin 75 mg", None, 150, END)
    assert status(record(plan(opioid(), gaba)), "indication_follow_up") == NOT_FULFILLED


def test_informed_consent_with_the_risks_the_drugs_need() -> None:
    assert status(record(plan(opioid())), "consent") == FULFILLED
    no_naloxone = InformedConsent(date(2026, 1, 10), "Behandling", ALL_RISKS[:4], "Holm")
    assert status(record(plan(opioid(), consent=no_naloxone)), "consent") == NOT_FULFILLED
    benzo = PlannedMedication("Diazepam", None, 5, END)
    assert status(record(plan(benzo, consent=no_naloxone)), "consent") == FULFILLED
    plain = InformedConsent(date(2026, 1, 10), "Fysioterapi", (), "Holm")
    assert status(record(plan(consent=plain)), "consent") == FULFILLED
    assert status(record(plan(benzo, consent=plain)), "consent") == NOT_FULFILLED
    assert status(record(plan(consent=replace(plain, by=None))), "consent") == NOT_FULFILLED
    assert status(record(plan(consent=replace(plain, given_on=END + timedelta(days=1)))), "consent") == NOT_FULFILLED
    assert status(record(plan(consent=None, consent_given=True)), "consent") == NOT_FULFILLED, "a tick is not enough"
    assert status(record(), "consent") == NOT_FULFILLED


def test_the_risks_not_explained_are_named_in_the_readers_language() -> None:
    no_naloxone = InformedConsent(date(2026, 1, 10), "Behandling", ALL_RISKS[:4], "Holm")
    found = record(plan(opioid(), consent=replace(no_naloxone, risks=("dependence", "driving"))))
    for language, expected in (("en", "tolerance and withdrawal"), ("da", "tolerans og abstinenser")):
        with speaking(language):
            reasons = next(f.reasons for f in evaluate(found, bundled_rules(), END) if f.checkpoint == "consent")
        assert any(expected in reason and "tolerance_withdrawal" not in reason for reason in reasons), reasons


def test_discharge_summaries_assessed_by_the_end() -> None:
    letter = ReceivedLetter(END, "Ortopædkirurgisk afd.", assessed_by="Holm", assessed_on=END, action="Ingen")
    assert status(record(plan(letters=(letter,))), "discharge_summaries") == FULFILLED
    late = replace(letter, assessed_on=END + timedelta(days=1))
    assert status(record(plan(letters=(late,))), "discharge_summaries") == NOT_FULFILLED
    assert status(record(plan(letters=(replace(letter, action=None),))), "discharge_summaries") == NOT_FULFILLED
    future = replace(letter, received_on=END + timedelta(days=1), assessed_on=None)
    assert status(record(plan(letters=(future,))), "discharge_summaries") == NOT_RELEVANT
    assert status(record(plan()), "discharge_summaries") == NOT_RELEVANT


def test_the_plan_that_stood_at_the_end_is_read() -> None:
    later = plan(opioid(indication=None), made=END + timedelta(days=1))
    found = record(plan(opioid(), made=END), later)
    assert status(found, "indication_follow_up") == FULFILLED
    assert status(found, "indication_follow_up", END + timedelta(days=1)) == NOT_FULFILLED


def test_counts_and_worklists() -> None:
    good = record(plan(opioid()), screenings=(screening("phq9", END),), patient_id=1)
    bad = record(plan(opioid(indication=None)), patient_id=2)
    plain = record(plan(), patient_id=3)
    earlier = record(plan(), visits=(START - timedelta(days=1),), patient_id=4)
    earlier = replace(earlier, plans=(plan(made=START - timedelta(days=1)),))
    report = build_report([bad, plain, good, earlier], RULES, START, END)
    assert report.patients == 3, "a patient seen only before the period is not in it"
    rows = {row.id: row for row in report.checkpoints}
    assert (rows["indication_follow_up"].applicable, rows["indication_follow_up"].fulfilled) == (2, 1)
    assert rows["indication_follow_up"].failing == (2,) and rows["indication_follow_up"].not_relevant == 1
    assert rows["psychiatric_comorbidity"].failing == (2, 3)
    for row in report.checkpoints:
        assert row.applicable + row.not_relevant == report.patients
        assert row.fulfilled + row.not_fulfilled == row.applicable
    document = report.as_json()
    assert set(document) == {"period", "patients", "checkpoints", "outcomes"}
    assert document["period"] == {"from": "2025-07-01", "to": "2026-06-30"}
    assert set(document["checkpoints"][0]) == {"id", "number", "title", "applicable", "fulfilled", "not_relevant",
                                               "patients_failing"}  # fmt: skip


def test_outcomes_read_the_drugs_and_the_changes() -> None:
    high = record(plan(opioid(daily_dose=60)), patient_id=1)  # oxycodone 60 mg = 90 MME
    mid = record(plan(PlannedMedication("Morfin", None, 50, END), PlannedMedication("Diazepam", None, 5, END)),
                 patient_id=2)  # fmt: skip
    low = record(plan(PlannedMedication("Tramadol", None, 200, END), PlannedMedication("Lyrica", None, 150, END)),
                 patient_id=3)  # fmt: skip
    changes = (screening("peg", date(2025, 8, 1), total=8), screening("peg", date(2026, 5, 1), total=5))
    none = record(plan(), screenings=changes, patient_id=4)
    values = build_report([high, mid, low, none], RULES, START, END).outcomes
    assert values["share_on_opioids"] == 0.75
    assert values["share_mme_90_plus"] == 0.25 and values["share_mme_50_plus"] == 0.5
    assert values["median_mme"] == 50 and values["share_opioid_with_benzodiazepine_or_z_drug"] == 0.25
    assert values["share_opioid_with_gabapentinoid"] == 0.25
    assert values["median_change_peg"] == -3 and values["median_change_odi"] is None


def test_mme_reduced_since_the_first_version_with_an_opioid_tapering_plan() -> None:
    taper = TaperingPlan(60.0, 10.0, 14, date(2026, 2, 1))
    before = plan(opioid(daily_dose=60), made=date(2026, 1, 1))  # 90 MME, no tapering plan yet
    tapering = plan(opioid(daily_dose=60, tapering=taper), made=date(2026, 2, 1))  # 90 MME: the plan's start
    reduced = record(before, tapering, plan(opioid(daily_dose=40, tapering=taper), made=date(2026, 4, 1)),
                     patient_id=1)  # 60 MME  # fmt: skip
    same = record(tapering, plan(opioid(daily_dose=60, tapering=taper), made=date(2026, 5, 1)), patient_id=2)
    benzodiazepine = record(plan(opioid(), PlannedMedication("Diazepam", None, 5, END, tapering=taper)),
                            patient_id=3)  # a tapering plan, but not for the opioid  # fmt: skip
    values = build_report([reduced, same, benzodiazepine], RULES, START, END).outcomes
    assert values["share_tapering_reduced_mme"] == 0.5  # of the two with an opioid tapering plan
    assert values["share_addictive_with_tapering_plan"] == 1


def test_an_opioid_without_a_factor_is_said_not_counted() -> None:
    # Buvidal (depot buprenorphine injection): no published oral-morphine factor, so not counted (issue 12).
    values = build_report([record(plan(PlannedMedication("Buvidal", None, 10, END)))], RULES, START, END).outcomes
    assert values["patients_opioid_not_counted"] == 1 and values["median_mme"] is None


def test_time_from_a_suicide_flag_to_its_action() -> None:
    flagged = Screening(5, "phq9", datetime(2026, 3, 1, 10), None, None, frozenset({"suicide_risk"}))
    found = record(screenings=(flagged,), actions={(5, "suicide_risk"): datetime(2026, 3, 1, 16)})
    values = build_report([found], RULES, START, END).outcomes
    assert values["median_hours_suicide_flag_to_action"] == 6 and values["suicide_flags_without_action"] == 0


def test_the_sample_is_reproducible_from_its_seed() -> None:
    ids = list(range(1, 201))
    assert draw_sample(ids, 10, 42) == draw_sample(list(reversed(ids)), 10, 42)
    assert draw_sample(ids, 10, 42) != draw_sample(ids, 10, 43)
    assert draw_sample(ids[:3], 10, 1) == [1, 2, 3]
    with pytest.raises(SmerteAgentError, match="at least 1"):
        draw_sample(ids, 0, 1)
    records = [record(plan(), patient_id=i) for i in range(1, 30)]
    first = build_report(records, RULES, START, END, sample_size=5, seed=7)
    again = build_report(records, RULES, START, END, sample_size=5, seed=7)
    assert first.sample == again.sample and first.sample is not None and len(first.sample) == 5
    assert set(first.as_json()["sample"]["records"][0]["checkpoints"]) == {c.id for c in RULES.checkpoints}


def test_a_period_that_ends_before_it_starts_or_beyond_the_calendar_is_refused() -> None:
    with speaking("en"), pytest.raises(SmerteAgentError, match="after it ends"):
        build_report([], RULES, END, START)
    with speaking("da"), pytest.raises(SmerteAgentError, match="efter den slutter"):
        build_report([], RULES, END, START)
    for start, end in ((START, date(9999, 12, 31)), (date(1, 1, 1), END)):
        with speaking("en"), pytest.raises(SmerteAgentError, match="outside the years"):
            build_report([], RULES, start, end)


def test_monthly_trends_cover_every_month_of_the_period() -> None:
    report = build_report([record(plan(opioid()), visits=(date(2026, 3, 5),))], RULES, START, END)
    assert [t.month for t in report.trends][:2] == ["2025-07", "2025-08"] and len(report.trends) == 12
    march = next(t for t in report.trends if t.month == "2026-03")
    assert march.values["patients"] == 1 and march.values["share_on_opioids"] == 1


def test_the_published_schema_matches_the_rules_model() -> None:
    import json

    from smerteagent.core.quality.rules import schema
    from smerteagent.paths import bundled_resources_dir

    published = json.loads((bundled_resources_dir() / "quality" / "checkpoints.schema.json").read_text("utf-8"))
    assert published == schema()


def test_the_guidance_is_read_in_the_readers_language_and_an_older_single_text_still_loads(tmp_path: Path) -> None:
    from smerteagent.core.quality.rules import load_rules
    from smerteagent.paths import bundled_resources_dir

    shipped = bundled_resources_dir() / "quality" / "checkpoints.yaml"
    rules = load_rules(shipped)
    for rule in rules.checkpoints:
        assert rule.guidance_text("da") != rule.guidance_text("en"), rule.id
    assert "modtagne epikriser og breve" in rules.by_id("discharge_summaries").guidance_text("da")
    text = shipped.read_text("utf-8")
    start = text.index("    guidance:\n      da:")
    end = text.index("  - id:", start)
    older = tmp_path / "checkpoints.yaml"
    older.write_text(text[:start] + "    guidance: Målepunkt 9, the clinic's own words.\n" + text[end:], "utf-8")
    first = load_rules(older).checkpoints[0]
    assert first.guidance_text("da") == first.guidance_text("en") == "Målepunkt 9, the clinic's own words."


@pytest.mark.parametrize(("change", "where"), [("number: 9", "number: 99"), ("applies_to: letters", "applies_to: x"),
                                               ("rule: consent", "rule: nothing")])  # fmt: skip
def test_a_broken_rules_file_names_the_field(tmp_path: Path, change: str, where: str) -> None:
    from smerteagent.core.errors import FormError
    from smerteagent.core.quality.rules import load_rules
    from smerteagent.paths import bundled_resources_dir

    text = (bundled_resources_dir() / "quality" / "checkpoints.yaml").read_text("utf-8")
    broken = tmp_path / "checkpoints.yaml"
    broken.write_text(text.replace(change, where, 1), "utf-8")
    with pytest.raises(FormError, match="checkpoints"):
        load_rules(broken)
