"""``python -m antitraffick_kg`` runs the command line."""

from .cli.main import run

run()
