"""The journal note: plain lines with the patient, scores and flags, actions taken and the plan in short."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from smerteagent import i18n
from smerteagent.core.careplan.journal import ScoreLine, journal_note
from smerteagent.core.careplan.medication import Catalogue
from smerteagent.core.careplan.plan import Action, CarePlan, Goal, PlannedMedication, TaperingPlan, ValueRating
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.patients import PatientSummary
from smerteagent.paths import bundled_resources_dir

PATIENT = PatientSummary(1, "0707614285", "Søren", "Ærø", date(1961, 7, 7), "male", datetime(2026, 11, 23))


def test_journal_note_in_danish(library: FormLibrary) -> None:
    i18n.set_language("da")
    catalogue = Catalogue.load(bundled_resources_dir() / "medication" / "medication.yaml")
    phq9 = library.get("phq9").score({**{f"q{i}": 1 for i in range(1, 9)}, "q9": 1})
    plan = CarePlan(
        1,
        values=(ValueRating("family", 9, 3, chosen=True),),
        goals=(Goal("family", "Gå tur med hunden", "PSFS", 3, 7, date(2027, 3, 1)),),
        actions=(Action("Henvisning til fysioterapi", "gp"),),
        medications=(
            PlannedMedication("Oxycodon", "10 mg x 2", 20, tapering=TaperingPlan(20, 10, 14, date(2026, 12, 1))),
            PlannedMedication("Diazepam", "5 mg", 5),
        ),
        follow_up_on=date(2027, 1, 15),
    )
    flags = tuple(library.get("phq9").flag_text(flag, "da") for flag in phq9.flags)
    line = ScoreLine("PHQ-9", phq9, "Let depression", flags)
    note = journal_note(PATIENT, [line], ["Sikkerhedsplan lagt"], plan, catalogue, date(2026, 11, 23))
    lines = note.splitlines()
    assert lines[0] == "SmerteAgent 23.11.2026 — Søren Ærø, 070761-4285"
    assert "- PHQ-9: total 9 · Let depression · " in note and flags[0] in note and "suicide_risk" not in note
    assert "Sikkerhedsplan lagt" in note
    assert "Familie" in note and "Gå tur med hunden (3 → 7) 01.03.2027" in note
    assert "Oxycodon 10 mg x 2 (20 mg/d), morfinækvivalent 30 mg/døgn" in note and "01.12.2026" in note
    assert "Opioid sammen med et benzodiazepin eller z-præparat: Oxycodon, Diazepam" in note  # in words, not an id
    assert "Samtykke IKKE registreret" in lines


def test_score_labels_drop_a_repeated_title_only_as_a_whole_word(library: FormLibrary) -> None:
    i18n.set_language("da")
    catalogue = Catalogue.load(bundled_resources_dir() / "medication" / "medication.yaml")
    phq9 = library.get("phq9").score({f"q{i}": 1 for i in range(1, 10)})
    peg = library.get("peg").score({"q1": 6, "q2": 6, "q3": 6})
    lines = [ScoreLine("PHQ-9", phq9, None, (), {"total": "PHQ-9 sum"}),
             ScoreLine("PEG", peg, None, (), {"total": "PEG-score (gennemsnit 0–10)"})]  # fmt: skip
    note = journal_note(PATIENT, lines, [], None, catalogue, date(2026, 11, 23))
    assert "- PHQ-9: sum 9" in note and "- PEG: PEG-score (gennemsnit 0–10) 6" in note


def test_journal_note_units_and_drugs_that_are_not_counted() -> None:
    """Issue 12: a patch prints in µg/h (CDC 2022: fentanyl 2.4 per µg/h; Helsedirektoratet OMEQ: buprenorphine
    transdermal 2.22 per µg/h); an uncounted opioid and an unknown drug are said, never a silent zero."""
    i18n.set_language("da")
    catalogue = Catalogue.load(bundled_resources_dir() / "medication" / "medication.yaml")
    plan = CarePlan(
        1,
        medications=(
            PlannedMedication("Norspan", "1 plaster om ugen", 20),
            PlannedMedication("Fentanyl 25 mikrogram/time", None, 50),
            PlannedMedication("Fentanyl", None, 0.2),
            PlannedMedication("Zyxomol", "1 x 1", 10),
        ),
    )
    note = journal_note(PATIENT, [], [], plan, catalogue, date(2026, 11, 23), open_alerts=1)
    assert "Norspan 1 plaster om ugen (20 µg/h), morfinækvivalent 44,4 mg/døgn" in note
    assert "Fentanyl 25 mikrogram/time 50 µg/h, morfinækvivalent 120 mg/døgn" in note
    assert "Fentanyl 0,2 mg/d, morfinækvivalent IKKE medregnet" in note
    assert "Zyxomol: lægemidlet findes ikke i lægemiddelkataloget" in note
    assert "Åben markering af selvmordsrisiko" in note  # VEJ 9523 / checkpoint 11 with an open flag
    assert "mg pr. døgn" not in note.split("Norspan")[1].split("\n")[0]


def test_journal_note_tells_the_supervision_fields() -> None:
    from smerteagent.core.careplan.plan import InformedConsent, ReceivedLetter

    i18n.set_language("da")
    catalogue = Catalogue.load(bundled_resources_dir() / "medication" / "medication.yaml")
    drug = PlannedMedication("Oxycodon", "10 mg x 2", 20, date(2026, 1, 5), date(2027, 1, 5), None, "Rygsmerter",
                             date(2026, 11, 1), "God effekt")  # fmt: skip
    plan = CarePlan(1, medications=(drug,), consent=InformedConsent(date(2026, 1, 5), "Opioidbehandling",
                                                                    ("dependence", "driving"), "Læge Holm"),
                    medication_reviewed_on=date(2026, 11, 1),
                    letters=(ReceivedLetter(date(2026, 10, 1), "Afd. X"),))  # fmt: skip
    note = journal_note(PATIENT, [], [], plan, catalogue, date(2026, 11, 23))
    assert (
        "Oxycodon: indikation Rygsmerter; effekt senest vurderet 01.11.2026: God effekt; næste vurdering 05.01.2027"
        in note
    )
    assert (
        "Informeret samtykke 05.01.2026 (Læge Holm): Opioidbehandling; risici forklaret: Afhængighed, Bilkørsel" in note
    )
    assert "Medicin gennemgået 01.11.2026" in note
    assert "Epikrise modtaget 01.10.2026 fra Afd. X, IKKE vurderet" in note


def test_note_and_summary_share_the_record_lines_consent_abuse_review_evaluation_and_taper_dates() -> None:
    """Issue 15 item 7: the stance on abuse, the medication review with indication and effect per
    dependence-forming drug, the next evaluation and the taper's end date, in Danish and English."""
    from smerteagent.core.careplan.journal import record_lines
    from smerteagent.core.careplan.plan import InformedConsent

    catalogue = Catalogue.load(bundled_resources_dir() / "medication" / "medication.yaml")
    taper = TaperingPlan(20, 10, 14, date(2026, 12, 1), step_is_percent=False)  # 20 -> 10 -> 0, two weeks apart
    oxycodone = PlannedMedication("Oxycodon", "10 mg x 2", 20, date(2026, 1, 5), date(2027, 1, 5), taper,
                                  "Rygsmerter", date(2026, 11, 1), "Lidt effekt")  # fmt: skip
    diazepam = PlannedMedication("Diazepam", "5 mg", 5)
    paracetamol = PlannedMedication("Paracetamol", "1 g x 3", 3000)
    plan = CarePlan(1, medications=(oxycodone, diazepam, paracetamol), abuse_stance="Ingen tegn på misbrug (ORT lav)",
                    consent=InformedConsent(date(2026, 1, 5), "Opioidbehandling", ("dependence",), "Læge Holm"),
                    medication_reviewed_on=date(2026, 11, 1))  # fmt: skip
    i18n.set_language("da")
    lines = record_lines(plan, catalogue)
    assert "Stillingtagen til misbrug: Ingen tegn på misbrug (ORT lav)" in lines
    assert "Medicin gennemgået 01.11.2026" in lines
    assert ("Oxycodon: indikation Rygsmerter; effekt senest vurderet 01.11.2026: Lidt effekt; "
            "næste vurdering 05.01.2027") in lines  # fmt: skip
    assert "Diazepam: indikation IKKE registreret; effekt IKKE vurderet; næste vurdering IKKE fastsat" in lines
    assert "Oxycodon: udtrapning fra 01.12.2026 til 29.12.2026" in lines
    assert not any(line.startswith("Paracetamol") for line in lines)  # not dependence-forming, nothing recorded
    note = journal_note(PATIENT, [], [], plan, catalogue, date(2026, 11, 23))
    assert all(line in note.splitlines() for line in lines)  # the note prints the same lines
    without = record_lines(replace(plan, abuse_stance=None, medication_reviewed_on=None), catalogue)
    assert "Stillingtagen til misbrug IKKE registreret" in without and "Medicingennemgang IKKE registreret" in without
    i18n.set_language("en")
    try:
        english = record_lines(plan, catalogue)
    finally:
        i18n.set_language("da")
    assert "Stance on abuse: Ingen tegn på misbrug (ORT lav)" in english
    assert "Oxycodon: tapering from 2026-12-01 to 2026-12-29" in english  # English dates are ISO


def test_the_patients_own_words_are_in_the_note_as_written(library: FormLibrary) -> None:
    i18n.set_language("da")
    catalogue = Catalogue.load(bundled_resources_dir() / "medication" / "medication.yaml")
    plan = CarePlan(1, values=(ValueRating("family", 9, 3, chosen=True),), own_words="Lege med børnebørnene\nGå ture")
    note = journal_note(PATIENT, [], [], plan, catalogue, date(2026, 11, 23))
    assert "Med patientens egne ord: Lege med børnebørnene / Gå ture" in note.splitlines()
