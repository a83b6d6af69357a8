"""The build: import a plan, add its links, write its files and its part of the corpus store
(:mod:`.pipeline`); the digest of a build's inputs (:mod:`.stamp`); and where a reading verb finds its data
(:mod:`.sources`).  Uses :mod:`~antitraffick_kg.plan`, :mod:`~antitraffick_kg.link` and
:mod:`~antitraffick_kg.store`."""
