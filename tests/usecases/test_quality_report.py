"""The quality report over a real database: records made through the services are read back at the end of the
period, the report is audited with its period and sample, and demo data shows work to do."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import update

from smerteagent.core.careplan.plan import CarePlan, InformedConsent, PlannedMedication, ReceivedLetter
from smerteagent.core.patients import PatientInput
from smerteagent.core.quality.report import QualityReport
from smerteagent.core.quality.rules import bundled_rules
from smerteagent.core.quality.summary import summary_request
from smerteagent.storage.demo import load_demo
from smerteagent.storage.models import EncounterRow, ResponseRow
from smerteagent.storage.quality import QualitySummaries
from smerteagent.storage.services import Services
from smerteagent.usecases.quality import (
    compute_report,
    compute_report_from_records,
    default_period,
    quality_report,
)

TODAY = date.today()


def _patient(services: Services, given: str, cpr: str) -> int:
    patient, _ = services.patients.add(PatientInput(given, "Ærø", cpr=cpr))
    return patient.id


def _screen(services: Services, patient_id: int, form: str, answers: dict[str, int]) -> int:
    encounter = services.screenings.start_encounter(patient_id, "pain_clinic")
    response = services.screenings.start_response(encounter.id, form)
    for item, value in answers.items():
        services.screenings.answer(response.id, item, value)
    return services.screenings.complete(response.id, "female").id


def test_records_made_through_the_services_are_read_at_the_end_of_the_period(services: Services) -> None:
    good = _patient(services, "God", "070761-4285")
    phq9 = {f"q{i}": 0 for i in range(1, 10)}
    _screen(services, good, "phq9", phq9)
    oxy = PlannedMedication("Oxycodon", "10 mg x 2", 20, TODAY - timedelta(days=30), TODAY + timedelta(days=30), None,
                            "Rygsmerter", TODAY, "God effekt")  # fmt: skip
    risks = ("dependence", "tolerance_withdrawal", "driving", "combination", "overdose_naloxone")
    consent = InformedConsent(TODAY, "Opioidbehandling", risks, "Læge Holm")
    letter = ReceivedLetter(TODAY, "Afd. X", assessed_by="Holm", assessed_on=TODAY, action="Ingen")
    services.careplans.save(CarePlan(good, medications=(oxy,), abuse_stance="Ingen tegn", consent=consent,
                                     medication_reviewed_on=TODAY, letters=(letter,)))  # fmt: skip
    flagged = _patient(services, "Flag", "010190-1234")
    response = _screen(services, flagged, "phq9", {**phq9, "q9": 2})
    report = quality_report(services, sample=2, seed=3, output="json", today=TODAY)
    rows = {row.id: row for row in report.checkpoints}
    assert report.patients == 2
    assert all(good not in row.failing for row in report.checkpoints)
    assert flagged in rows["suicide_risk"].failing and rows["discharge_summaries"].applicable == 1
    services.screenings.record_safety_action(response, "suicide_risk", "assessed_no_acute_risk")
    again = quality_report(services, output="view", today=TODAY)
    assert flagged not in {row.id: row for row in again.checkpoints}["suicide_risk"].failing
    before = quality_report(services, TODAY - timedelta(days=400), TODAY - timedelta(days=1), output="view")
    assert before.patients == 0, "nobody was seen before today"


def test_every_report_is_audited_with_who_the_period_and_the_sample(services: Services) -> None:
    _patient(services, "Åse", "070761-4285")
    quality_report(services, date(2026, 1, 1), date(2026, 3, 31), sample=5, seed=11, output="pdf")
    event = services.audit.events()[-1]
    assert (event.actor, event.action, event.record_type) == ("test-clinician", "export", "quality_report")
    assert event.detail["from"] == "2026-01-01" and event.detail["to"] == "2026-03-31"
    assert event.detail["sample"] == 5 and event.detail["seed"] == 11


def test_an_unseeded_sample_gets_a_seed_that_draws_it_again(services: Services) -> None:
    load_demo(services, 40, seed=2)
    first = quality_report(services, sample=4, output="view")
    assert first.seed is not None and first.sample is not None
    again = quality_report(services, sample=4, seed=first.seed, output="view")
    assert again.sample == first.sample


def test_the_default_period_is_the_last_twelve_months() -> None:
    assert default_period(date(2026, 12, 3)) == (date(2025, 12, 4), date(2026, 12, 3))
    assert default_period(date(2024, 2, 29)) == (date(2023, 3, 1), date(2024, 2, 29))


def test_demo_data_shows_work_to_do(services: Services) -> None:
    load_demo(services, 300, seed=5)
    report = quality_report(services, output="view")
    rows = {row.id: row for row in report.checkpoints}
    assert 250 < report.patients <= 300, "demo visits reach a little over a year back"
    for row in report.checkpoints:
        assert row.applicable > 0 and row.fulfilled > 0 and row.failing, row.id
    assert report.outcomes["share_on_opioids"] and report.outcomes["median_mme"]
    assert any(t.values["patients"] for t in report.trends)
    assert rows["suicide_risk"].applicable == report.patients
    started = [v for v in services.careplans.versions(rows["indication_follow_up"].failing[-1])]
    assert started and started[0].created_at < datetime.now() - timedelta(hours=1), "bulk plans are dated"


def _everything(report: QualityReport) -> dict[str, object]:
    """The whole report: the JSON, the monthly trends, every reason, the names and the sample."""
    return {"json": report.as_json(), "trends": [(t.month, t.values) for t in report.trends],
            "reasons": report.reasons, "names": report.names, "cprs": report.cprs, "sample": report.sample}  # fmt: skip


def test_the_summarised_report_is_exactly_the_report_from_the_full_records(services: Services) -> None:
    """The fast path (SQL summarises per patient) against the full records read row by row, over a varied
    demo set and periods that end in the past, start mid-month, or hold a single day."""
    load_demo(services, 160, seed=16)
    flagged = _patient(services, "Flag", "010190-1234")
    phq9 = {f"q{i}": 0 for i in range(1, 10)}
    late = _screen(services, flagged, "phq9", {**phq9, "q9": 3})
    services.screenings.record_safety_action(late, "suicide_risk_imminent", "assessed_no_acute_risk")
    _screen(services, _patient(services, "Uden", "020202-2222"), "phq9", {f"q{i}": 1 for i in range(1, 9)})
    rules = bundled_rules()
    periods = [default_period(TODAY), (TODAY - timedelta(days=200), TODAY - timedelta(days=45)),
               (date(TODAY.year - 1, 6, 17), date(TODAY.year - 1, 9, 2)), (TODAY, TODAY),
               (TODAY - timedelta(days=800), TODAY - timedelta(days=380))]  # fmt: skip
    for start, end in periods:
        fast = compute_report(services, start, end, rules, sample=25, seed=7)
        oracle = compute_report_from_records(services, start, end, rules, sample=25, seed=7)
        assert _everything(fast) == _everything(oracle), (start, end)
    assert compute_report(services, *periods[0], rules).patients > 150


def _moved(services: Services, response_id: int, when: datetime) -> None:
    """The screening's visit and completion moved to ``when`` (as an import of older data would date them)."""
    with services.database.engine.begin() as connection:
        encounter = connection.execute(
            update(ResponseRow).where(ResponseRow.id == response_id).values(completed_at=when)
            .returning(ResponseRow.encounter_id)
        ).scalar_one()  # fmt: skip
        connection.execute(update(EncounterRow).where(EncounterRow.id == encounter).values(started_at=when))


def test_a_period_that_starts_mid_month_reads_its_first_month_at_the_boundaries(services: Services) -> None:
    """The first trend month begins before the period: a visit on its first days counts for the month but does
    not make the patient seen, and a PEG then is not the month's latest; a visit at the period's first
    midnight does both. Read by the summaries and, for the whole report, by the full records alike."""
    start = date(TODAY.year - 1, 3, 15)
    end = start + timedelta(days=60)
    peg = {"q1": 7, "q2": 6, "q3": 5}  # total 6
    early, late, before, at = (_patient(services, n, c) for n, c in
                               (("Tidlig", "070761-4285"), ("Sen", "010190-1234"), ("Før", "020202-2222"),
                                ("Ved", "030303-3333")))  # fmt: skip
    midnight = datetime.combine(start, datetime.min.time())
    _moved(services, _screen(services, early, "peg", peg), midnight - timedelta(seconds=1))
    _moved(services, _screen(services, early, "peg", {"q1": 3, "q2": 3, "q3": 3}), midnight + timedelta(days=40))
    _moved(services, _screen(services, before, "peg", peg), midnight - timedelta(days=2))
    _moved(services, _screen(services, at, "peg", peg), midnight)
    _moved(services, _screen(services, late, "peg", peg), midnight + timedelta(days=61))  # after the period
    rules = bundled_rules()
    request = summary_request(rules, start, end)
    summaries = {s.patient_id: s for s in QualitySummaries(services.database).summaries(request)}
    assert sorted(summaries) == [early, at], "seen: a visit from the period's first midnight to its last day"
    later = next(i for i, (first, last) in enumerate(request.months) if first <= start + timedelta(days=40) <= last)
    assert summaries[early].months == (f"{start:%Y-%m}", f"{start + timedelta(days=40):%Y-%m}")
    assert summaries[early].peg == {later: 3.0}, "the PEG before the period is not the first month's"
    assert summaries[early].changes == {"peg": (6.0, 3.0)}, "though it is the first total"
    assert summaries[at].months == (f"{start:%Y-%m}",) and summaries[at].peg == {0: 6.0}
    fast = compute_report(services, start, end, rules)
    assert _everything(fast) == _everything(compute_report_from_records(services, start, end, rules))
    assert fast.patients == 2
