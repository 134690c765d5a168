"""Readiness: a self-hosted smart-manufacturing and AI readiness assessment."""
