"""PDF reports (ReportLab): they take core objects and return PDF bytes, and know nothing of Qt or the database."""

from smerteagent.reports.careplan_pdf import chartable, render_patient_plan
from smerteagent.reports.clinician_summary import render_clinician_summary
from smerteagent.reports.documents import PlanSources, clinician_summary_pdf, patient_plan_pdf

__all__ = [
    "PlanSources",
    "chartable",
    "clinician_summary_pdf",
    "patient_plan_pdf",
    "render_clinician_summary",
    "render_patient_plan",
]
