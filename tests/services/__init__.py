"""Service tests: use cases on a real database, no HTTP."""
