"""Writers that turn a format-neutral Document into the bytes of an output file."""
