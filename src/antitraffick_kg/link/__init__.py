"""Linking across levels: the plan family, upper-level reference graphs, unit counterparts, SSSOM mappings and the
aligner.  Builds on :mod:`antitraffick_kg.plan`."""
