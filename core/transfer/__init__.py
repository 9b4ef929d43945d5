"""Moving data in and out: export formats and the validated importers."""
