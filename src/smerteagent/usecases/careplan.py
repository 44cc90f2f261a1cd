"""The care plan's documents, written once for both faces: the patient's plan, the clinician summary and the
journal note, each with its audit event.

One audit action per act, whichever face does it (issue 18):
- ``view``: the document shown on screen (the app's own viewer);
- ``print``: sent to a printer;
- ``export``: written to a file or copied out of the app (the CLI's ``careplan export``, the viewer's
  "Save as…", the journal note on the clipboard or on stdout).
The patient's plan freezes the version on every act (the paper and the record always match); the clinician
summary and the journal note are the clinic's own and freeze nothing. The clinician summary read in the app
was audited as "print" before, although nothing was printed; it is "view" now, as the plan read there is.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

from smerteagent.core.careplan.plan import CarePlan
from smerteagent.core.patients import Patient
from smerteagent.private_files import publish_private
from smerteagent.reports import clinician_summary_pdf, patient_plan_pdf
from smerteagent.storage.report_inputs import ReportInputs, report_inputs
from smerteagent.storage.services import Services

Act = Literal["view", "print", "export"]
Document = Literal["patient_plan", "clinician_summary"]

__all__ = [
    "Act", "Document", "ReportInputs", "clinician_summary", "export_document", "journal_note", "patient_plan",
    "record_copy", "record_patient_plan", "report_inputs", "save_copy",
]  # fmt: skip


def patient_plan(plan: CarePlan, patient: Patient, inputs: ReportInputs, language: str) -> bytes:
    """The patient's plan as a PDF (in the language being spoken); record it with :func:`record_patient_plan`
    once it has been shown, printed or written."""
    return patient_plan_pdf(plan, patient, inputs, language)


def record_patient_plan(services: Services, patient_id: int, plan: CarePlan, act: Act) -> CarePlan:
    """Freeze the version the patient got and audit the act; a newer version saved meanwhile elsewhere is a
    conflict (nothing is frozen)."""
    return services.careplans.freeze(patient_id, action=act, document="patient_plan", printed=plan)


def clinician_summary(services: Services, patient: Patient, plan: CarePlan, inputs: ReportInputs, language: str,
                      act: Act) -> bytes:  # fmt: skip
    """The one-page clinician summary as a PDF, audited before it is handed out (a document that could not
    be audited is not shown); it freezes nothing."""
    pdf = clinician_summary_pdf(plan, patient, inputs, language)
    services.careplans.record_output(patient.id, act, "clinician_summary")
    return pdf


def record_copy(services: Services, patient_id: int, document: Document) -> int:
    """A copy of a document already shown, written to a file (the viewer's "Save as…"): audited as an export."""
    return services.careplans.record_output(patient_id, "export", document)


def export_document(services: Services, patient: Patient, plan: CarePlan, inputs: ReportInputs, language: str,
                    document: Document, out: Path) -> bytes:  # fmt: skip
    """The patient's plan or the clinician summary written to ``out`` (the CLI's ``careplan export``): the file
    is written first, then the export is audited (the patient's plan frozen), then the file takes its name —
    a read-only folder or a full disk leaves no "export" event, a failed audit leaves no file."""
    if document == "clinician_summary":
        pdf = clinician_summary_pdf(plan, patient, inputs, language)
        publish_private(out, pdf, lambda: services.careplans.record_output(patient.id, "export", document))
    else:
        pdf = patient_plan(plan, patient, inputs, language)
        publish_private(out, pdf, lambda: record_patient_plan(services, patient.id, plan, "export"))
    return pdf


def save_copy(services: Services, patient_id: int, document: Document, pdf: bytes, out: Path) -> None:
    """A document already shown, saved to ``out`` (the viewer's "Save as…"): written, then audited as an export,
    then named — as :func:`export_document`."""
    publish_private(out, pdf, lambda: record_copy(services, patient_id, document))


def journal_note(services: Services, patient: Patient, plan: CarePlan | None, inputs: ReportInputs, language: str,
                 today: date) -> str:  # fmt: skip
    """The plain-text journal note (scores, suicide-risk actions, the plan in short), audited as an export:
    it leaves the app for the practice's own record system."""
    note = inputs.journal(patient, plan, language, today)
    services.audit.record("export", "patient", patient.id, {"document": "journal_note"})
    return note
