"""Rendering: templates emit document markup, parsed into the format-neutral document model."""
