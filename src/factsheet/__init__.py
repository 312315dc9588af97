"""Turn curated, sourced claims into footnoted briefing sheets."""

__version__ = "0.1.0"
