"""The pipeline: load, check, render and write a brief."""
