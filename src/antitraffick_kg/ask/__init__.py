"""Asking questions: the query catalogue (``queries/*.rq`` and their headers) and running a query with bound
parameters on any store."""
