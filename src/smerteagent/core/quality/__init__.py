"""The clinic's quality report over the Patient Safety Authority's supervision checkpoints (Qt- and SQL-free):
the rules as data, the patients' records as the rules read them, the report, the sample and the outcomes."""
