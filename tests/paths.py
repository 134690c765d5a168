"""Where things are in the checkout, for tests that read the repository's own files."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "readiness"
QUESTIONNAIRES = PACKAGE / "questionnaires"
