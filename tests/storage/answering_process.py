"""Child process for the crash test: answers PHQ-9 items forever, printing each answer once committed."""

from __future__ import annotations

import sys
from itertools import count

from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.patients import PatientInput
from smerteagent.paths import bundled_forms_dir
from smerteagent.storage.services import open_services


def main(url: str, cpr: str) -> None:
    services = open_services(url, FormLibrary.load([bundled_forms_dir()]), actor="crash-test")
    patient, _ = services.patients.add(PatientInput("Crash", "Tæst", cpr=cpr))
    encounter = services.screenings.start_encounter(patient.id, "gp")
    response = services.screenings.start_response(encounter.id, "phq9")
    print(f"response {response.id}", flush=True)
    for step in count():
        item, value = f"q{step % 9 + 1}", step % 4
        services.screenings.answer(response.id, item, value)
        print(f"answered {item} {value}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
