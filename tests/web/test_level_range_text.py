"""The level range names both ends: the known answers' level, and where unknowns may take it."""

from __future__ import annotations

import pytest
from flask import Flask
from markupsafe import Markup

from tests.test_i18n import compiled_catalogs  # noqa: F401  (the .mo files the pages need)


def level_range(app: Flask, lang: str, low: int, level: int, high: int | None) -> str:
    headers = {"Accept-Language": "zh-CN,zh;q=0.9" if lang == "zh" else "en"}
    with app.test_request_context("/", headers=headers):
        macros = app.jinja_env.get_template("reports/_explain.html").module
        result = {"level_range": (low, level), "level_high": high}
        return " ".join(Markup(macros.level_range(result)).striptags().split())


@pytest.mark.parametrize(
    ("lang", "ends", "text"),
    [
        (
            "en",
            (1, 3, 3),
            "Level range 1–3: 3 from the known answers, 1 if every “don’t know” answer",
        ),
        (
            "en",
            (1, 2, 4),
            "Level range 1–4: 2 from the known answers, 1 if every “don’t know” answer "
            "were the lowest, 4 if every one were the best.",
        ),
        (
            "en",
            (1, 1, 2),
            "Level range 1–2: 1 from the known answers, 2 if every “don’t know” answer "
            "were the best.",
        ),
        (
            "en",
            (1, 3, None),
            "Level range 1–3: 3 from the known answers",
        ),  # stored before level_high
        (
            "zh",
            (1, 2, 4),
            "等级区间1～4级：按已知答案为2级；若所有“不清楚”的题目均按最低答案计，则为1级，"
            "均按最佳答案计则为4级。",
        ),
        (
            "zh",
            (1, 1, 2),
            "等级区间1～2级：按已知答案为1级；若所有“不清楚”的题目均按最佳答案计，则为2级。",
        ),
    ],
)
def test_the_range_names_the_ends_that_differ(app, lang, ends, text) -> None:
    assert text in level_range(app, lang, *ends)


@pytest.mark.parametrize("ends", [(2, 2, 2), (2, 2, None)])
def test_no_range_when_the_unknowns_cannot_move_the_level(app, ends) -> None:
    assert level_range(app, "en", *ends) == ""
