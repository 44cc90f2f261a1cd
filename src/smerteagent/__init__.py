"""SmerteAgent: screening, stratification and shared care plans for chronic pain."""

__version__ = "0.1.0"
