"""Synthetic demo patients — never real people — with plausible screenings over several visits.

Names are drawn from common Danish first and family names (æ, ø, å included); CPR numbers are valid
(real dates, the 7th digit matching the century, modulus 11 satisfied, sex in the last digit) but
generated at random. Each patient has a latent burden that eases over the visits, so histories move.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from smerteagent.core.careplan.plan import (
    LIFE_DOMAINS,
    Action,
    CarePlan,
    Goal,
    InformedConsent,
    PlannedMedication,
    ReceivedLetter,
    TaperingPlan,
    ValueRating,
)
from smerteagent.core.cpr import modulus11_ok

FEMALE = (
    "Anne Kirsten Mette Hanne Helle Susanne Lene Marianne Camilla Louise Maria Pia Karen Bente Tina "
    "Charlotte Signe Ida Freja Sofie Astrid Mathilde Ellen Birgit Inger Jytte Åse Bodil Søs Dorthe Lærke "
    "Maja Else Gitte"
).split()
MALE = (
    "Peter Jens Lars Michael Henrik Søren Thomas Jan Niels Morten Anders Jesper Rasmus Mads Martin Ole "
    "Per Kim Bjørn Jørgen Steffen Frederik Mikkel Christian Kristian Poul Kåre Jørn Flemming Bent Torben "
    "Aksel"
).split()
FAMILY = (
    "Nielsen Jensen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen Jørgensen Petersen "
    "Madsen Kristensen Olsen Thomsen Christiansen Poulsen Johansen Møller Mortensen Knudsen Jakobsen "
    "Mikkelsen Lauridsen Frederiksen Kjær Søndergaard Nørgaard Holm Bæk Østergaard Dalsgaard Ærenlund "
    "Ågaard Skovgård"
).split()
SETTINGS = ("gp", "gp", "gp", "physiotherapy", "physiotherapy", "pain_clinic")
VISIT_FORMS = {
    "gp": ("startback", "peg", "psfs", "phq4"),
    "physiotherapy": ("startback", "psfs", "odi", "peg"),
    "pain_clinic": ("peg", "psfs", "phq9", "gad7", "pcs", "auditc"),
}


@dataclass(frozen=True)
class DemoPatient:
    given_name: str
    family_name: str
    cpr: str
    birth_date: date
    sex: str
    burden: float


@dataclass(frozen=True)
class DemoVisit:
    started_at: datetime
    setting: str
    burden: float


def _seventh_digit(year: int, rng: random.Random) -> int:
    if year < 1937:
        return rng.randint(0, 3)
    if year < 2000:
        return rng.choice((0, 1, 2, 3, 4, 9))
    return rng.choice((4, 5, 6, 7, 8, 9)) if year <= 2036 else 5


def make_cpr(born: date, sex: str, rng: random.Random, taken: set[str]) -> str:
    """A valid, unused CPR number for the date and sex (modulus 11 satisfied, like pre-2007 numbers)."""
    head = born.strftime("%d%m%y")
    for _ in range(10_000):
        serial = f"{_seventh_digit(born.year, rng)}{rng.randint(0, 99):02d}"
        for last in range(10):
            if (last % 2 == 1) != (sex == "male"):
                continue
            digits = f"{head}{serial}{last}"
            if modulus11_ok(digits) and digits not in taken:
                taken.add(digits)
                return digits
    raise RuntimeError(f"no free CPR number for {born}")


def patients(count: int, seed: int = 1, today: date | None = None) -> Iterator[DemoPatient]:
    """``count`` synthetic adults aged 18-90, about 55 % women, as chronic-pain populations are."""
    rng = random.Random(seed)
    # CPR numbers take a date-dependent number of draws; their own generator keeps the names, sexes and
    # burdens the same whatever day the demo is made (tests name demo patients).
    cpr_rng = random.Random(f"{seed}-cpr")
    today = today or date.today()
    taken: set[str] = set()
    for _ in range(count):
        sex = "female" if rng.random() < 0.55 else "male"
        born = today - timedelta(days=rng.randint(18 * 365, 90 * 365))
        given = rng.choice(FEMALE if sex == "female" else MALE)
        if rng.random() < 0.2:
            given = f"{given} {rng.choice(FEMALE if sex == 'female' else MALE)}"
        family = rng.choice(FAMILY)
        if rng.random() < 0.1:
            family = f"{rng.choice(FAMILY)} {family}"
        yield DemoPatient(given, family, make_cpr(born, sex, cpr_rng, taken), born, sex, rng.random())


def visits(patient: DemoPatient, rng: random.Random, now: datetime, max_visits: int = 3) -> list[DemoVisit]:
    """One to ``max_visits`` visits over the past year; the burden eases a little each time."""
    count = rng.randint(1, max_visits)
    setting = rng.choice(SETTINGS)
    span = 42 * (count - 1)
    start = now - timedelta(days=rng.randint(span + 1, span + 365))
    burden = patient.burden
    result = []
    for index in range(count):
        result.append(DemoVisit(start + timedelta(days=42 * index), setting, burden))
        burden = max(0.0, burden - rng.uniform(0.0, 0.2))
    return result


def answer(values: list[int], burden: float, rng: random.Random) -> int:
    """An answer near ``burden`` on the item's scale (0 = least, 1 = most)."""
    position = min(max(burden + rng.gauss(0, 0.2), 0.0), 1.0)
    return values[round(position * (len(values) - 1))]


# Every measure is a PSFS rating (0–10, higher is better), so "today → target" always reads the same way.
GOALS = (
    ("family", "Lege med børnebørnene en hel eftermiddag", "PSFS: lege med børnebørn"),
    ("leisure", "Gå en tur i skoven på 30 minutter", "PSFS: gå 30 minutter"),
    ("work_education", "Arbejde 4 timer om dagen", "PSFS: arbejde"),
    ("health_body", "Cykle til købmanden", "PSFS: cykle"),
    ("relationships", "Tage med til fødselsdage igen", "PSFS: sociale aftaler"),
)
ACTIONS = (
    ("Gåtur hver dag, 10 minutter mere hver uge", "patient", "hver dag"),
    ("Henvisning til superviseret træning", "gp", "inden 2 uger"),
    ("Tilmelding til 'Lær at tackle kroniske smerter'", "municipality", "næste hold"),
    ("Samtale om tanker og bekymringer om smerterne", "psychologist", "efter henvisning"),
)

# Opioids of the demo (daily doses of 40, 60, 80 and 100 MME/day), so the dose outcomes have something to show.
OPIOIDS = (("Tramadol", "100 mg x 2", 200.0), ("Oxycodon", "20 mg x 2", 40.0), ("Tapentadol", "100 mg x 2", 200.0),
           ("Morfin", "50 mg x 2", 100.0))  # fmt: skip


def care_plan(patient_id: int, burden: float, treatments: tuple[str, ...], rng: random.Random, today: date) -> CarePlan:
    """A plausible shared plan for a demo patient: one or two values with goals, actions, the treatment
    matched to the screening and, for some, an opioid with a tapering plan (and a benzodiazepine, so the
    warnings show)."""
    chosen = rng.sample(GOALS, rng.randint(1, 2))
    domains = {domain for domain, _goal, _measure in chosen}
    values = tuple(
        ValueRating(domain, rng.randint(7, 10) if domain in domains else rng.randint(2, 8), rng.randint(1, 6),
                    domain in domains)
        for domain in LIFE_DOMAINS
    )  # fmt: skip
    baseline = max(0, round(10 * (1 - burden)) - 1)
    goals = tuple(Goal(domain, goal, measure, baseline, min(10, baseline + 4), today + timedelta(days=90))
                  for domain, goal, measure in chosen)  # fmt: skip
    actions = tuple(Action(*action) for action in rng.sample(ACTIONS, 2))
    medications: list[PlannedMedication] = [PlannedMedication("Paracetamol", "1 g x 3", 3000)]
    if burden > 0.5:
        started = today - timedelta(days=rng.randint(120, 700))
        name, dose_text, dose = rng.choice(OPIOIDS)
        taper = TaperingPlan(dose, 10, 14, today + timedelta(days=7), followed_up_by="Egen læge",
                             follow_up_on=today + timedelta(days=28))  # fmt: skip
        medications.append(PlannedMedication(name, dose_text, dose, started, tapering=taper))
        if rng.random() < 0.2:
            medications.append(PlannedMedication("Pregabalin", "75 mg x 2", 150, started))
        if burden > 0.8:
            medications.append(PlannedMedication("Diazepam", "5 mg til natten", 5, started,
                                                 re_evaluate_on=today + timedelta(days=28)))  # fmt: skip
    addictive = len(medications) > 1
    return CarePlan(
        patient_id, values=values, goals=goals, actions=actions, treatments=treatments,
        medications=tuple(medications), follow_up_on=today + timedelta(days=42), follow_up_by="Egen læge",
        consent_given=True, medication_reviewed=True,
        abuse_stance="Ingen tegn på misbrug; én ordinerende læge aftalt" if addictive else None,
    )  # fmt: skip


CLINICIANS = ("Læge Holm", "Læge Øster", "Sygeplejerske Bæk", "Læge Ågaard")
SENDERS = ("Ortopædkirurgisk afd., Aarhus", "Neurologisk afd., Odense", "Egen læge", "Psykiatrisk ambulatorium")
INDICATIONS = {"opioid": "Svære nociceptive lænderygsmerter", "benzodiazepine": "Angst og søvnbesvær",
               "z_drug": "Søvnbesvær", "gabapentinoid": "Neuropatiske bensmerter"}  # fmt: skip
FULL_RISKS = ("dependence", "tolerance_withdrawal", "driving", "combination", "overdose_naloxone")


def _chance(rng: random.Random, share: float) -> bool:
    return rng.random() < share


def record_details(plan: CarePlan, classes: dict[str, str], rng: random.Random, made: date, today: date) -> CarePlan:
    """The supervision fields as real records hold them: mostly there, with the gaps a review finds (an
    indication or an evaluation not written, a risk not explained, a letter not yet assessed).
    ``classes``: drug name -> class."""
    medications = []
    for medication in plan.medications:
        drug_class = classes.get(medication.name, "other")
        if drug_class not in INDICATIONS:  # not dependence-forming (other analgesics, unknown drugs)
            medications.append(medication)
            continue
        evaluated = _chance(rng, 0.75)
        medications.append(replace(
            medication, tapering=medication.tapering if _chance(rng, 0.75) else None,
            indication=INDICATIONS[drug_class] if _chance(rng, 0.85) else None,
            evaluated_on=made if evaluated else None,
            evaluation_result=rng.choice(("God effekt, PEG 7 → 5", "Nogen effekt; fortsætter", "Ringe effekt"))
            if evaluated else None,
            re_evaluate_on=made + timedelta(days=rng.choice((60, 90, 180, 365))) if _chance(rng, 0.8)
            else medication.re_evaluate_on,
        ))  # fmt: skip
    risks = FULL_RISKS if _chance(rng, 0.7) else tuple(r for r in FULL_RISKS if r != rng.choice(FULL_RISKS))
    consent = InformedConsent(made, "Smertebehandling og medicinplan", risks, rng.choice(CLINICIANS))
    letters: tuple[ReceivedLetter, ...] = ()
    if _chance(rng, 0.3):
        received = min(today, made + timedelta(days=rng.randint(5, 120)))
        assessed = _chance(rng, 0.8)
        letters = (ReceivedLetter(received, rng.choice(SENDERS), rng.choice(("discharge_summary", "letter")),
                                  rng.choice(CLINICIANS) if assessed else None,
                                  min(today, received + timedelta(days=rng.randint(0, 10))) if assessed else None,
                                  "Medicinliste opdateret" if assessed else None),)  # fmt: skip
    return replace(
        plan, medications=tuple(medications), consent=consent if _chance(rng, 0.85) else None,
        consent_given=False, medication_reviewed_on=made if _chance(rng, 0.85) else None, medication_reviewed=False,
        abuse_stance=plan.abuse_stance if _chance(rng, 0.85) else None, letters=letters,
    )  # fmt: skip


def tapered(plan: CarePlan, made: date) -> CarePlan:
    """The next version of a plan at a later visit: each drug with a tapering plan at the step reached, the
    tapering planned on from there (as a clinician re-plans it: a first step above the dose the patient now
    takes could not be saved); a tapering that has reached its floor ends."""
    medications = []
    for medication in plan.medications:
        if medication.tapering is not None and medication.daily_dose:
            steps = [s for s in medication.tapering.schedule() if s.starts_on <= made]
            if steps:
                dose = steps[-1].daily_dose
                onward = replace(medication.tapering, start_dose=dose, starts_on=made, steps=())
                medication = replace(medication, daily_dose=dose, dose_text=f"{dose:g} mg i døgnet", tapering=onward)
                if medication.tapering_problem() is not None:  # nothing left to come down
                    medication = replace(medication, tapering=None)
        medications.append(medication)
    return replace(plan, number=plan.number + 1, medications=tuple(medications))
