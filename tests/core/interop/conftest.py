"""Interop fixtures: the FHIR test corpus and the R4 model library that checks what we write."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "data" / "fhir"


def corpus(name: str) -> Any:
    return json.loads((CORPUS / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def fhir_r4() -> Any:
    """fhir.resources' R4B package: R4B (4.3) keeps R4's Questionnaire, QuestionnaireResponse,
    Observation, Patient and Bundle unchanged; the library no longer ships a 4.0.1 package."""
    return pytest.importorskip("fhir.resources.R4B")
