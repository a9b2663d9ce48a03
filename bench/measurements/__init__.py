"""One module per area; bench/measure.py imports every module here."""
