"""Patients evaluated together must be evaluated exactly as each alone: the report groups patients whose
plans (no dependence-forming drug, no letter) and flags read alike to the rules, and evaluates each group once."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from smerteagent.core.careplan.plan import CarePlan, InformedConsent, PlannedMedication, ReceivedLetter, TaperingPlan
from smerteagent.core.quality.checkpoints import NOT_FULFILLED, evaluate, evaluate_all
from smerteagent.core.quality.outcomes import CHANGE_FORMS, months
from smerteagent.core.quality.records import PatientRecord, Screening
from smerteagent.core.quality.rules import RuleSet, bundled_rules
from smerteagent.core.quality.summary import QualitySummary, summary_request

END = date(2026, 6, 30)
START = date(2025, 7, 1)
RULES = bundled_rules()
REQUEST = summary_request(RULES, START, END)


def plan(pid: int, **changes: object) -> CarePlan:
    good = CarePlan(pid, abuse_stance="Ingen tegn på misbrug", follow_up_on=date(2026, 8, 1),
                    consent=InformedConsent(date(2026, 1, 10), "Smertebehandling", ("driving",), "Læge Holm"),
                    medication_reviewed_on=date(2026, 1, 10), created_at=datetime(2026, 1, 10, 9))  # fmt: skip
    return replace(good, **changes)  # type: ignore[arg-type]


def summary(pid: int, *plans: CarePlan, flagged: tuple[Screening, ...] = (),
            actions: dict[tuple[int, str], datetime] | None = None,
            rules: RuleSet = RULES) -> QualitySummary:  # fmt: skip
    request = REQUEST if rules is RULES else summary_request(rules, START, END)
    return QualitySummary(request, pid, f"Patient {pid}", None, frozenset(request.windows),
                          frozenset(request.suicide_item), flagged, actions or {}, plans)  # fmt: skip


def flag(response_id: int, day: date) -> Screening:
    return Screening(response_id, "phq9", datetime(day.year, day.month, day.day, 10), "severe", None,
                     frozenset({"suicide_risk"}))  # fmt: skip


def evaluated(records: list[QualitySummary], rules: RuleSet = RULES) -> dict[int, list]:
    """Every patient's findings, checked against the patient evaluated alone."""
    found = evaluate_all(records, rules, END)
    for record in records:
        assert found[record.patient_id] == evaluate(record, rules, END), record.patient_id
    return found


def test_plans_without_drugs_or_letters_that_read_alike_are_evaluated_once() -> None:
    found = evaluated([summary(1, plan(1)), summary(2, plan(2, follow_up_on=None, medication_reviewed=True)),
                       summary(3, plan(3, consent=replace(plan(3).consent, by=" "))),
                       summary(4, plan(4, abuse_stance=""))])  # fmt: skip
    assert found[1] is found[2]  # what the rules do not read differs
    assert found[3] is not found[1] and found[3] != found[1]  # who obtained the consent is not said
    consent = next(f for f in found[3] if f.checkpoint == "consent")
    assert consent.status == NOT_FULFILLED and len(consent.reasons) == 1


DAYS = (None, END - timedelta(days=RULES.long_term_days + 1), END - timedelta(days=RULES.long_term_days), END,
        END + timedelta(days=1))  # fmt: skip
TEXTS = (None, "", "  ", "Rygsmerter")
TAPER = TaperingPlan(40.0, 10.0, 14, date(2026, 3, 1))


def drug(pick: random.Random) -> PlannedMedication:
    """A drug with every field the rules read at or around its boundary (the end of the period, 90 days)."""
    name = pick.choice(("Oxycodon", "Contalgin", "Diazepam", "Zopiclon", "Gabapentin", "Paracetamol"))
    return PlannedMedication(name, "1 x 2", pick.choice((None, 10.0, 60.0)), pick.choice(DAYS), pick.choice(DAYS),
                             pick.choice((None, TAPER)), pick.choice(TEXTS), pick.choice(DAYS),
                             pick.choice(TEXTS))  # fmt: skip


def letter(pick: random.Random) -> ReceivedLetter:
    return ReceivedLetter(pick.choice(DAYS[1:]), pick.choice(("Hvidovre Hospital", "Rigshospitalet")),
                          pick.choice(("discharge_summary", "letter")), pick.choice((None, " ", "Læge Holm")),
                          pick.choice(DAYS), pick.choice(TEXTS))  # fmt: skip


def varied_plan(pid: int, pick: random.Random) -> CarePlan:
    consent = pick.choice((None, InformedConsent(pick.choice(DAYS[1:]), pick.choice(("", " ", "Opioider")),
                                                 tuple(pick.sample(RISKS, pick.randint(0, len(RISKS)))),
                                                 pick.choice((None, "", "Læge Holm")))))  # fmt: skip
    return plan(pid, medications=tuple(drug(pick) for _ in range(pick.choice((0, 1, 1, 2, 3)))), consent=consent,
                letters=tuple(letter(pick) for _ in range(pick.choice((0, 0, 1, 2)))),
                abuse_stance=pick.choice(TEXTS), medication_reviewed_on=pick.choice(DAYS))  # fmt: skip


RISKS = ("dependence", "tolerance_withdrawal", "driving", "combination", "overdose_naloxone")


def test_plans_drawn_around_every_boundary_evaluate_in_groups_as_each_alone() -> None:
    """Drugs, consents and letters drawn at random around every boundary a rule reads: each patient's
    findings in a group are exactly the patient's own, and alike plans do share."""
    pick = random.Random(16)
    records = [summary(pid, varied_plan(pid, pick)) for pid in range(1, 3001)]
    found = evaluated(records)
    groups = {id(findings) for findings in found.values()}
    assert len(groups) < len(records) * 0.9  # alike plans evaluated once


def test_plans_with_a_dependence_forming_drug_or_a_letter_are_evaluated_alone() -> None:
    oxycodon = PlannedMedication("Oxycodon", "10 mg x 2", 20, date(2026, 1, 1))
    letter = ReceivedLetter(date(2026, 2, 1), "Hvidovre Hospital")
    found = evaluated([summary(1, plan(1, medications=(oxycodon,))), summary(2, plan(2, medications=(oxycodon,))),
                       summary(3, plan(3, letters=(letter,))), summary(4, plan(4, letters=(letter,)))])  # fmt: skip
    assert found[1] is not found[2] and found[3] is not found[4]


def test_a_review_date_groups_by_each_rules_own_window() -> None:
    rule = next(r for r in RULES.checkpoints if r.rule == "medication_review")
    shorter = rule.model_copy(update={"parameters": rule.parameters.model_copy(update={"within_days": 200})})
    rules = RULES.model_copy(update={"checkpoints": [shorter if r is rule else r for r in RULES.checkpoints]})
    recent, older = plan(1, medication_reviewed_on=END - timedelta(days=100)), END - timedelta(days=300)
    records = [summary(1, recent, rules=rules), summary(2, plan(2, medication_reviewed_on=older), rules=rules)]
    found = evaluated(records, rules)
    assert found[1] != found[2]
    both = evaluated([summary(1, recent), summary(2, plan(2, medication_reviewed_on=older))])  # 365 days
    assert both[1] is both[2]


def test_flags_with_their_actions_group_and_open_flags_name_their_day() -> None:
    acted = {(11, "suicide_risk"): datetime(2026, 3, 1, 11), (12, "suicide_risk"): datetime(2026, 4, 2, 9)}
    late = {(13, "suicide_risk"): datetime(2026, 7, 2, 9)}  # after the period: open at its end
    found = evaluated([
        summary(1, flagged=(flag(11, date(2026, 3, 1)),), actions=acted),
        summary(2, flagged=(flag(12, date(2026, 4, 1)),), actions=acted),
        summary(3, flagged=(flag(13, date(2026, 5, 1)),), actions=late),
        summary(4, flagged=(flag(14, date(2026, 5, 2)),)),
        summary(5),
    ])  # fmt: skip
    assert found[1] is found[2] and found[1] == found[5]
    risk = {pid: next(f for f in found[pid] if f.checkpoint == "suicide_risk") for pid in (3, 4)}
    assert risk[3].status == risk[4].status == NOT_FULFILLED
    assert risk[3].reasons != risk[4].reasons  # each names its own flag's day


def test_plans_read_alone_share_the_record_only_findings_of_alike_screenings_and_flags() -> None:
    """A dependence-forming drug or a letter makes a plan be read on its own; the screening and suicide-risk
    checkpoints read only the record, so patients with the same screenings and open flags share them (and
    each patient's findings are still exactly the patient's own)."""
    pick = random.Random(61)
    windows, items = list(REQUEST.windows), list(REQUEST.suicide_item)
    records = []
    for pid in range(1, 1201):
        flagged = (flag(pid, pick.choice((date(2026, 3, 1), END, END + timedelta(days=1)))),) if pid % 3 else ()
        acted = {(pid, "suicide_risk"): datetime(2026, pick.choice((3, 7)), 2, 9)} if pid % 2 else {}
        base = replace(summary(pid, varied_plan(pid, pick), flagged=flagged, actions=acted),
                       windows=frozenset(pick.sample(windows, pick.randint(0, len(windows)))),
                       suicide_item=frozenset(pick.sample(items, pick.randint(0, len(items)))))  # fmt: skip
        records.append(base)
    found = evaluated(records)
    index = {f.checkpoint: i for i, f in enumerate(found[1])}
    oxycodon = PlannedMedication("Oxycodon", "10 mg x 2", 20, date(2026, 1, 1))
    alone = [
        replace(summary(pid, plan(pid, medications=(oxycodon,))), windows=frozenset(), suicide_item=frozenset())
        for pid in (1, 2)
    ]
    first, second = evaluated(alone).values()
    assert first is not second  # the plans are read on their own
    for checkpoint in ("psychiatric_comorbidity", "suicide_risk"):
        assert first[index[checkpoint]].status == NOT_FULFILLED
        assert first[index[checkpoint]] is second[index[checkpoint]]


def test_the_months_seen_and_the_changes_are_read_in_one_call_as_from_the_full_record() -> None:
    """The trends read each patient's months with a visit and their latest PEG at once, the outcomes every
    change form's first and latest total at once: the summary answers as the full record, and refuses
    months or forms its report did not summarise."""
    peg = [Screening(i, "peg", datetime(2025, 7, 1) + timedelta(days=d), None, total, frozenset())
           for i, (d, total) in enumerate(((-3, 9.0), (20, 8.0), (25, 7.0), (200, 5.0)), start=1)]  # fmt: skip
    odi = [Screening(9, "odi", datetime(2026, 1, 5), None, 40.0, frozenset())]
    full = PatientRecord(1, "Patient 1", None, (date(2025, 6, 30), date(2025, 7, 1), date(2026, 1, 17)),
                         tuple(sorted(peg + odi, key=lambda s: s.at)))  # fmt: skip
    spans = months(START, END)
    assert spans is REQUEST.months and spans == months(START, END)
    seen = list(full.months_seen(spans))
    assert seen == [(0, 7.0), (6, 5.0)]  # the visit of 30 June 2025 is before the period's months
    assert full.first_and_latest_totals(CHANGE_FORMS, END) == {"peg": (9.0, 5.0)}  # one ODI: no change
    summarised = replace(summary(1), months=("2025-07", "2026-01"), peg={0: 7.0, 6: 5.0},
                         changes={"peg": (9.0, 5.0)})  # fmt: skip
    assert list(summarised.months_seen(spans)) == seen
    assert list(summarised.months_seen(list(spans))) == seen  # equal months, another sequence
    assert summarised.first_and_latest_totals(CHANGE_FORMS, END) == {"peg": (9.0, 5.0)}
    with pytest.raises(KeyError):
        summarised.months_seen(months(START, END - timedelta(days=1)))
    with pytest.raises(KeyError):
        summarised.first_and_latest_totals(("peg",), END)
    with pytest.raises(ValueError):
        summarised.first_and_latest_totals(CHANGE_FORMS, END - timedelta(days=1))
