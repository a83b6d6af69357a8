"""The ``antitraffick-kg`` command: a thin layer over the library (:mod:`.main` registers the ``commands_*``
modules)."""
