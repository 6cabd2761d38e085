"""fawen (发文): campaign plans in YAML → Chinese official documents laid out to GB/T 9704-2012."""

__version__ = "0.1.0"
