"""Questionnaire directories for the assessment tests: the mini questionnaire and a larger twin."""

from __future__ import annotations

from pathlib import Path

import yaml

MINI = Path(__file__).parent / "domain" / "data" / "mini.yaml"


def _extra_level_question(n: int) -> dict:
    """A level question of the technology pillar, numbered n."""
    return {
        "id": f"technology.extra{n}",
        "pillar": "technology",
        "type": "level",
        "text": {"en": f"Extra question {n}?", "zh": f"附加问题{n}？"},
        "challenge_areas": {"5.1": 1},
        "levels": [
            {"level": lv, "text": {"en": f"Level {lv}.", "zh": f"{lv}级。"}} for lv in range(6)
        ],
    }


def write_questionnaires(directory: Path, extra_questions: int = 30) -> Path:
    """Write mini/1.yaml and big/1.yaml (mini plus `extra_questions` technology questions)."""
    raw = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    (directory / "mini").mkdir(parents=True, exist_ok=True)
    (directory / "mini" / "1.yaml").write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    big = dict(raw, id="big")
    big["questions"] = raw["questions"] + [_extra_level_question(n) for n in range(extra_questions)]
    (directory / "big").mkdir(exist_ok=True)
    (directory / "big" / "1.yaml").write_text(
        yaml.safe_dump(big, allow_unicode=True), encoding="utf-8"
    )
    return directory
