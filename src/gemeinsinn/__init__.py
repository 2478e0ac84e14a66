"""gemeinsinn – social planning and citizen participation, district by district."""

__version__ = "0.1.0"
