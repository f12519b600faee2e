"""Risks and opportunities (ISO 9001 clause 6.1) and SWOT analyses."""
