"""The shared care plan's logic, Qt-free: medication safety, tapering, completeness."""
