"""The plan import: read a plan's folder (text, ``plan.toml``, ``units.csv``, corrections) into the plan model, and
turn the model into RDF (:mod:`.graph`).  Depends only on the package's leaf modules."""
