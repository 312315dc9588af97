"""Brief content derived from a checked sheet: figure groups, the timeline and chart data."""
