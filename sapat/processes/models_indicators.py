"""Indicators (KPIs): definitions, targets per period, measured and computed values."""
