"""Data in and out: FHIR R4 resources and CSV, as plain dicts and rows (no FHIR library in the core)."""
