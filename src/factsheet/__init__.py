"""Turn curated, sourced claims into footnoted briefing sheets."""

__version__ = "0.1.0"

#: The application outputs name as the one that wrote them (a DOCX's app.xml).
APPLICATION = "factsheet"
