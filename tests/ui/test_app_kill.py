"""The desktop app killed with SIGKILL at random moments while it answers a battery, 50 times: afterwards
every answer the screen held as given is in the database, and the unfinished screening resumes with them.

Each kill lands at a random point: during start-up, just after resuming, or between and during answers
(the child prints an answer only after the screen holds it). A kill that lands after an answer was stored
but before it was printed leaves the newer answer in the record: the child announces each answer before its
key, and the record may hold that one instead (on a resumed screen an item is answered a second time).
Two lanes, each with its own database, run side by side to keep the wall time near half a minute.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.patients import Patient, PatientInput
from smerteagent.paths import bundled_forms_dir
from smerteagent.storage.screening_session import ScreeningSession
from smerteagent.storage.services import Services, open_services

CHILD = Path(__file__).with_name("answering_app.py")
ROOT = Path(__file__).resolve().parents[2]
CPR = "070761-4285"
KILLS, LANES = 50, 2
Key = tuple[int, str, str]  # encounter, form, item


@dataclass
class Lane:
    """One database and the answers its app processes reported, across kills."""

    url: str
    rng: random.Random
    reported: dict[Key, object] = field(default_factory=dict)
    resumable: int | None = None  # the encounter the next start must resume
    resumed: int = 0


def run_and_kill(lane: Lane, seed: int) -> list[str]:
    """Start the app, kill it at a random moment; every line it printed, including after our last read."""
    child = subprocess.Popen([sys.executable, str(CHILD), lane.url, CPR, str(seed)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, cwd=ROOT,
                             env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})  # fmt: skip
    assert child.stdout is not None
    lines = []
    if lane.rng.random() < 0.2:
        time.sleep(lane.rng.uniform(0, 1.5))  # maybe during start-up, maybe already answering
    else:
        lines.append(child.stdout.readline())
        for _ in range(lane.rng.randint(0, 25)):
            lines.append(child.stdout.readline())
        time.sleep(lane.rng.uniform(0, 0.01))
    os.kill(child.pid, signal.SIGKILL)
    rest, errors = child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL, errors
    return [line for line in "".join([*lines, rest]).splitlines() if line]


def check_run(lane: Lane, services: Services, patient: Patient, lines: list[str]) -> None:
    if lines and lane.resumable is not None:
        assert lines[0].startswith(f"resumed {lane.resumable} "), (lane.resumable, lines[0])
    pending: tuple[Key, object] | None = None  # announced, its key pressed, not yet reported as held
    for line in lines:
        kind, encounter, *rest = line.split(" ", 2)
        if kind == "resumed":
            lane.resumed += 1
            shown = json.loads(rest[0])
            for (enc, form, item), value in lane.reported.items():
                if enc == int(encounter):
                    assert shown[form][item] == value, f"the resumed screen lost {form} {item}"
        elif kind in ("answering", "answered"):
            form, item, value = rest[0].split(" ", 2)
            key = (int(encounter), form, item)
            if kind == "answering":
                pending = (key, json.loads(value))
            else:
                lane.reported[key] = json.loads(value)
                pending = None
    stored = {(r.encounter_id, r.form_id, item): value for r in services.screenings.responses(patient.id)
              for item, value in r.answers.items()}  # fmt: skip
    if pending is not None and stored.get(pending[0]) == pending[1]:
        # Killed after the answer was stored, before the screen was seen to hold it: the record has the newer
        # answer (an item answered again on a resumed screen), which is the one to keep from now on.
        lane.reported[pending[0]] = pending[1]
    missing = {key: value for key, value in lane.reported.items() if stored.get(key) != value}
    told = history(services, patient, missing, lines) if missing else ""
    assert not missing, f"answers shown as given but not stored: {missing}\n{told}"
    encounters = services.screenings.encounters(patient.id)
    latest = max((e.id for e in encounters), default=None)
    lane.resumable = None
    started = latest is not None and any(r.encounter_id == latest for r in services.screenings.responses(patient.id))
    if started and latest is not None and not ScreeningSession.resume(services, patient, latest).done:
        lane.resumable = latest


def history(services: Services, patient: Patient, missing: dict[Key, object], lines: list[str]) -> str:
    """What the record says about each missing answer: the responses of its encounter and every audited
    write to them, so that a failure tells a lost write from an answer never written."""
    told = []
    for encounter, form, item in missing:
        responses = [r for r in services.screenings.responses(patient.id) if r.encounter_id == encounter]
        ids = {str(r.id) for r in responses}
        told.append(f"{encounter} {form} {item}: responses " + "; ".join(
            f"{r.id} {r.form_id} {r.status} {r.answers}" for r in responses))  # fmt: skip
        told += [f"  {e.at:%H:%M:%S.%f} {e.action} {e.record_id} {e.detail}" for e in services.audit.events()
                 if e.record_type == "response" and e.record_id in ids]  # fmt: skip
    return "\n".join([*told, "child's last lines:", *lines[-12:]])


def run_lane(lane: Lane, kills: int, forms: FormLibrary) -> Lane:
    services = open_services(lane.url, forms, actor="kill-test")
    try:
        patient, _ = services.patients.add(PatientInput("Søren", "Ærø", cpr=CPR))
        for kill in range(kills):
            check_run(lane, services, patient, run_and_kill(lane, lane.rng.randrange(10**6)))
            assert kill < 3 or lane.reported, "the app answered nothing in several runs"
    finally:
        services.close()
    return lane


@pytest.mark.timeout(1800)  # fifty starts of the app: minutes on a loaded machine, never a hang (see the child)
def test_app_killed_fifty_times_loses_no_answer(template: Path, tmp_path: Path) -> None:
    forms = FormLibrary.load([bundled_forms_dir()])
    lanes = []
    for number in range(LANES):
        path = tmp_path / f"lane{number}.sqlite"
        shutil.copy(template, path)
        lanes.append(Lane(f"sqlite:///{path}", random.Random(1000 + number)))
    with ThreadPoolExecutor(LANES) as pool:
        done = list(pool.map(lambda lane: run_lane(lane, KILLS // LANES, forms), lanes))
    assert sum(len(lane.reported) for lane in done) > KILLS, "answers were given between the kills"
    assert sum(lane.resumed for lane in done) > KILLS // 4, "unfinished screenings were resumed"


def test_the_check_keeps_the_newer_answer_stored_just_before_a_kill(services: Services, patient: Patient) -> None:
    """The oracle itself: an answer announced, stored and then killed before it was reported is the record's
    newer answer, not a loss; a record holding neither the reported nor the announced answer is a loss."""
    session = ScreeningSession.start(services, patient, "gp", form_id="phq2")
    session.answer(1)
    encounter = session.encounter.id
    lane = Lane("unused", random.Random(0))
    check_run(lane, services, patient, [f"answering {encounter} phq2 q1 1", f"answered {encounter} phq2 q1 1"])
    session.answer(3)  # stored; the kill lands before "answered"
    check_run(
        lane, services, patient, [f'resumed {encounter} {{"phq2": {{"q1": 1}}}}', f"answering {encounter} phq2 q1 3"]
    )
    assert lane.reported[(encounter, "phq2", "q1")] == 3
    session.answer(2)  # an answer nobody announced: neither the reported nor the announced one
    with pytest.raises(AssertionError, match="shown as given but not stored"):
        check_run(
            lane,
            services,
            patient,
            [f'resumed {encounter} {{"phq2": {{"q1": 3}}}}', f"answering {encounter} phq2 q1 0"],
        )
