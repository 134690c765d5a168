"""The pure domain core: questionnaires, scoring, recommendations and comparison (no Flask, no SQLAlchemy)."""
