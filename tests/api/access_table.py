"""The API's authorisation table: every operation, the role it needs, whether it writes.

Paths are relative to /api/v1 and use placeholders from the API world: {draft}, {submitted},
{submitted2} (assessments of the token's organisation) and {action} (a plan action of it);
built only when a path names them (tests/api/test_access.py): {programme} (a programme the
organisation runs), {joined} (its participation in another operator's programme), {resp} (an
assessment with several respondents), {onsite} (an on-site evaluation, its answer {qid}
reviewed by the owner).
org_scoped=False: the operation reads nothing of an organisation (questionnaires) or only the
token's own (organisations, lists).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field
from typing import Any

FLAGSHIP = "smart-manufacturing-readiness"


@dataclass(frozen=True)
class ApiRule:
    """One API operation with a concrete path, the least role and whether it changes things."""

    endpoint: str
    method: str
    path: str
    role: str = "viewer"
    write: bool = False
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    org_scoped: bool = True

    def url(self, world: dict[str, Any]) -> str:
        """The full path with the world's IDs filled in."""
        return "/api/v1" + self.path.format(**world)

    @property
    def id(self) -> str:
        """A readable test ID."""
        return f"{self.method} {self.path}"


API_RULES = [
    ApiRule("api.questionnaires", "GET", "/questionnaires", org_scoped=False),
    ApiRule("api.questionnaire", "GET", f"/questionnaires/{FLAGSHIP}", org_scoped=False),
    ApiRule("api.organisations", "GET", "/organisations", org_scoped=False),
    ApiRule("api.list_assessments", "GET", "/assessments", org_scoped=False),
    ApiRule(
        "api.create_assessment",
        "POST",
        "/assessments",
        "editor",
        True,
        {"questionnaire_id": FLAGSHIP, "title": "New"},
        org_scoped=False,
    ),
    ApiRule("api.get_assessment", "GET", "/assessments/{draft}"),
    ApiRule("api.delete_assessment", "DELETE", "/assessments/{draft}", "editor", True),
    ApiRule(
        "api.delete_assessment", "DELETE", "/assessments/{submitted}?confirm=true", "owner", True
    ),
    ApiRule("api.get_answers", "GET", "/assessments/{draft}/answers"),
    ApiRule(
        "api.update_answers",
        "PATCH",
        "/assessments/{draft}/answers",
        "editor",
        True,
        {"answers": {"data.governance": {"value": 2}}},
        {"If-Match": "*"},
    ),
    ApiRule(
        "api.submit",
        "POST",
        "/assessments/{draft}/submit",
        "editor",
        True,
        {"confirm_incomplete": True},
    ),
    ApiRule("api.results", "GET", "/assessments/{submitted}/results"),
    ApiRule("api.report", "GET", "/assessments/{submitted}/report.csv"),
    ApiRule("api.compare", "GET", "/comparisons?ids={submitted}&ids={submitted2}"),
    ApiRule(
        "api.list_actions",
        "GET",
        "/plan/actions?status=planned&overdue=false&per_page=5",
        org_scoped=False,
    ),
    ApiRule(
        "api.create_action",
        "POST",
        "/plan/actions",
        "editor",
        True,
        {"title": "New", "measure_id": "6.2", "due_date": "2027-01-31"},
        org_scoped=False,
    ),
    ApiRule("api.get_action", "GET", "/plan/actions/{action}"),
    ApiRule(
        "api.update_action",
        "PATCH",
        "/plan/actions/{action}",
        "editor",
        True,
        {"notes": "Changed through the API"},
        {"If-Match": "*"},
    ),
    ApiRule("api.delete_action", "DELETE", "/plan/actions/{action}", "owner", True),
    ApiRule("api.action_history", "GET", "/plan/actions/{action}/history"),
    ApiRule("api.list_programmes", "GET", "/programmes?per_page=5", org_scoped=False),
    ApiRule("api.programme_firms_page", "GET", "/programmes/{programme}/firms"),
    ApiRule("api.programme_cohort", "GET", "/programmes/{programme}/cohort"),
    ApiRule("api.list_participations", "GET", "/participations", org_scoped=False),
    ApiRule(
        "api.set_consent",
        "PUT",
        "/participations/{joined}/consent",
        "owner",
        True,
        {"consent": "answers"},
    ),
    ApiRule("api.list_respondents", "GET", "/assessments/{resp}/respondents"),
    ApiRule("api.list_reviews", "GET", "/assessments/{onsite}/reviews", "editor"),
    ApiRule(
        "api.review_answer",
        "PUT",
        "/assessments/{onsite}/reviews/{qid}",
        "editor",
        True,
        {"verdict": "disputed", "note": "We have two CNC machines, not one."},
    ),
    ApiRule("api.confirm_evaluation", "POST", "/assessments/{onsite}/confirm", "editor", True),
]


def placeholders(path: str) -> set[str]:
    """The world's names a path uses."""
    return set(re.findall(r"{(\w+)}", path))
