"""Rules as data a clinic can change: the medication catalogue, its MME thresholds, the treatment suggestions and
municipal offers, the safety plan's phone numbers, the care plan's completeness checklist and the quality
report's checkpoints. Each file has a typed model (``models``) with a published JSON Schema, and is read from the
bundle and replaced, file by file, by the clinic's own copy in the ``rules`` folder beside its forms
(``library``)."""
