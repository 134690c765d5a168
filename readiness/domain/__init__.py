"""The pure domain core: questionnaires, scoring, recommendations and comparison.

Nothing here imports Flask, SQLAlchemy, WTForms or the web, service and model layers
(tests/test_architecture.py enforces it), so the scoring rule can be read in one place and
tested without a server; the CLI, the pages, the reports and the API all call this code.
"""

from readiness.domain.answers import DONT_KNOW
from readiness.domain.answers import NOT_APPLICABLE
from readiness.domain.answers import AnswerError
from readiness.domain.answers import AnswerSet
from readiness.domain.answers import parse_answers
from readiness.domain.loading import load_questionnaire
from readiness.domain.loading import load_questionnaires
from readiness.domain.problems import Problem
from readiness.domain.problems import QuestionnaireError
from readiness.domain.questionnaire import Questionnaire
from readiness.domain.recommendations import Plan
from readiness.domain.recommendations import recommend
from readiness.domain.results import result_document
from readiness.domain.scoring import Scorecard
from readiness.domain.scoring import score

__all__ = [
    "DONT_KNOW",
    "NOT_APPLICABLE",
    "AnswerError",
    "AnswerSet",
    "Plan",
    "Problem",
    "Questionnaire",
    "QuestionnaireError",
    "Scorecard",
    "load_questionnaire",
    "load_questionnaires",
    "parse_answers",
    "recommend",
    "result_document",
    "score",
]
