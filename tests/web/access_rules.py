"""The authorisation table: every route of the app, who may use it, and the world it is tested in.

Adding a route? Add a Rule here (the suite fails on any endpoint missing from RULES). Paths use
placeholders filled from the test world: {org} (an organisation with an owner and a viewer),
{owner} and {viewer} (user IDs of its members), {token} (a dummy token). Routes that need more
(an assessment …) add a builder to WORLD_BUILDERS that puts its IDs into the world dict.

access:
  public  anyone, signed in or not
  login   any signed-in user
  viewer / editor / owner   a member of {org} with at least that role: a non-member gets 404,
          a member with a lower role gets 403 (org_scoped=False: the route works on the active
          organisation instead of one in the URL, so the 404 check does not apply)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from sqlalchemy.orm import Session

from readiness.domain.questionnaire import Questionnaire
from readiness.services import organisations
from tests.conftest import repo_catalogue

ACCESS_LEVELS = ("public", "login", "viewer", "editor", "owner")


def flagship() -> Questionnaire:
    """The flagship questionnaire from the session's cached catalogue (loading costs ~0.5 s)."""
    return repo_catalogue().get("smart-manufacturing-readiness")


@dataclass(frozen=True)
class Rule:
    """One endpoint with a method, a concrete path and who may use it."""

    endpoint: str
    method: str
    path: str
    access: str
    data: dict[str, Any] = field(default_factory=dict)
    org_scoped: bool = True

    def url(self, world: dict[str, Any]) -> str:
        """The path with the world's IDs filled in."""
        return self.path.format_map(world)  # a lazy world builds what the path names

    @property
    def id(self) -> str:
        """A readable test ID."""
        return f"{self.method} {self.path}"


RULES: list[Rule] = [
    Rule("static", "GET", "/static/css/app.css", "public"),
    # main
    Rule("main.index", "GET", "/", "public"),
    Rule("main.set_language", "POST", "/language", "public", {"lang": "zh"}),
    Rule("main.favicon", "GET", "/favicon.ico", "public"),
    # auth
    Rule("auth.register", "GET", "/register", "public"),
    Rule("auth.login", "GET", "/login", "public"),
    Rule("auth.logout", "POST", "/logout", "public"),
    Rule("auth.forgot_password", "GET", "/forgot-password", "public"),
    Rule("auth.reset_password", "GET", "/reset-password/{token}", "public"),
    Rule("auth.change_password", "GET", "/account/password", "login"),
    # account: API tokens and deleting the account (tokens are one's own: no organisation check)
    Rule("account.tokens_page", "GET", "/account/", "login"),
    Rule("account.revoke_token", "POST", "/account/tokens/1/revoke", "login"),
    Rule("account.delete", "GET", "/account/delete", "login"),
    # the API's document and its page are public; the API itself has tests/api/access_table.py
    Rule("api.openapi_json", "GET", "/api/v1/openapi.json", "public"),
    Rule("api.docs", "GET", "/api/v1/docs", "public"),
    # organisations
    Rule("organisations.create", "GET", "/organisations/new", "login"),
    Rule("organisations.switch", "POST", "/organisations/switch", "login"),
    Rule("organisations.accept_invitation", "GET", "/organisations/join/{token}", "login"),
    Rule("organisations.profile", "GET", "/organisations/{org}/profile", "viewer"),
    Rule("organisations.profile", "POST", "/organisations/{org}/profile", "editor", {"name": "X"}),
    Rule("organisations.members", "GET", "/organisations/{org}/members", "viewer"),
    Rule(
        "organisations.invite",
        "POST",
        "/organisations/{org}/invitations",
        "owner",
        {"role": "viewer"},
    ),
    Rule("organisations.change_role", "POST", "/organisations/{org}/members/{owner}/role", "owner"),
    # A viewer may remove themselves (leave), never another member.
    Rule(
        "organisations.remove_member",
        "POST",
        "/organisations/{org}/members/{owner}/remove",
        "owner",
    ),
]

# assessments ({draft}: a draft of {org}; {submitted}: a submitted one)
RULES += [
    Rule("assessments.index", "GET", "/assessments/", "viewer", org_scoped=False),
    Rule("assessments.start", "GET", "/assessments/new", "editor", org_scoped=False),
    Rule("assessments.show", "GET", "/assessments/{draft}", "viewer"),
    Rule("assessments.fill", "GET", "/assessments/{draft}/pillars/technology", "editor"),
    Rule(
        "assessments.fill",
        "POST",
        "/assessments/{draft}/pillars/technology",
        "editor",
        {"base_revision": "1"},
    ),
    Rule("assessments.review", "GET", "/assessments/{draft}/review", "editor"),
    Rule("assessments.submit", "POST", "/assessments/{draft}/submit", "editor"),
    Rule("assessments.results", "GET", "/assessments/{submitted}/results", "viewer"),
    Rule("assessments.reopen", "POST", "/assessments/{submitted}/reopen", "owner"),
    # a MIIT 2024 draft prefilled from the flagship's answers through the crosswalk
    Rule(
        "crosswalk.prefill",
        "POST",
        "/assessments/{submitted}/prefill/miit-sme-digital-2024",
        "editor",
    ),
    # data: deleting (a draft: editors; a submitted assessment: owners), the audit log
    Rule("data.delete_assessment", "GET", "/assessments/{draft}/delete", "editor"),
    Rule("data.delete_assessment", "POST", "/assessments/{draft}/delete", "editor"),
    Rule("data.delete_assessment", "GET", "/assessments/{submitted}/delete", "owner"),
    Rule("data.delete_organisation", "GET", "/organisations/{org}/delete", "owner"),
    Rule("data.audit_log", "GET", "/organisations/{org}/audit", "owner"),
    Rule("data.export_organisation", "POST", "/organisations/{org}/export", "owner"),
]


def _assessments(session: Session, world: dict[str, Any]) -> None:
    """A draft and a submitted assessment of the flagship questionnaire in {org}."""
    from readiness.models import Organisation
    from readiness.models import User
    from readiness.services import assessments

    questionnaire = flagship()
    org = session.get(Organisation, world["org"])
    owner = session.get(User, world["owner"])
    draft = assessments.start_assessment(session, org, questionnaire, owner, "Draft")
    done = assessments.start_assessment(session, org, questionnaire, owner, "Done")
    assessments.submit(session, done, questionnaire, owner, confirm_incomplete=True)
    world["draft"], world["submitted"] = draft.id, done.id


# compare ({submitted} and {submitted2}: two submitted assessments of {org})
RULES += [
    Rule("compare.history", "GET", "/compare/history", "viewer", org_scoped=False),
    Rule(
        "compare.repeat", "POST", "/compare/repeat", "editor", {"title": "Again"}, org_scoped=False
    ),
    Rule("compare.compare", "GET", "/compare/?ids={submitted}&ids={submitted2}", "viewer"),
    Rule("compare.report", "GET", "/compare/report.csv?ids={submitted}&ids={submitted2}", "viewer"),
]


def _second_submitted(session: Session, world: dict[str, Any]) -> None:
    """A second submitted assessment of {org}, so that two can be compared."""
    from readiness.models import Organisation
    from readiness.models import User
    from readiness.services import assessments

    questionnaire = flagship()
    org = session.get(Organisation, world["org"])
    owner = session.get(User, world["owner"])
    again = assessments.start_assessment(session, org, questionnaire, owner, "Again")
    assessments.submit(session, again, questionnaire, owner, confirm_incomplete=True)
    world["submitted2"] = again.id


# Builders that add more IDs to the world: fn(session, world) -> None.
WORLD_BUILDERS: list[Callable[[Session, dict[str, Any]], None]] = [_assessments, _second_submitted]


# reports ({share_link}: a live share link of {submitted}; {share_token}: its token)
RULES += [
    Rule("reports.show", "GET", "/assessments/{submitted}/report", "viewer"),
    Rule("reports.download", "GET", "/assessments/{submitted}/report.csv", "viewer"),
    Rule("reports.share", "GET", "/assessments/{submitted}/share", "owner"),
    Rule("reports.share", "POST", "/assessments/{submitted}/share", "owner", {"days": "7"}),
    Rule("reports.revoke", "POST", "/assessments/{submitted}/share/{share_link}/revoke", "owner"),
    Rule("reports.shared", "GET", "/shared/{share_token}", "public"),
    Rule("reports.shared_pdf", "GET", "/shared/{share_token}/report.pdf", "public"),
]


def _share_link(session: Session, world: dict[str, Any]) -> None:
    """A live share link of {submitted}, signed with the test app's secret key."""
    from readiness.models import Assessment
    from readiness.models import User
    from readiness.services import share_links
    from tests.conftest import test_config

    secret = test_config("sqlite://")["SECRET_KEY"]
    done = session.get(Assessment, world["submitted"])
    owner = session.get(User, world["owner"])
    link, token = share_links.create_share_link(session, done, owner, secret)
    world["share_link"], world["share_token"] = link.id, token


WORLD_BUILDERS.append(_share_link)


# action plan ({plan_action}: an action in the plan of {org})
RULES += [
    Rule("plans.index", "GET", "/organisations/{org}/plan/", "viewer"),
    Rule("plans.index", "GET", "/organisations/{org}/plan/?overdue=1&owner=none", "viewer"),
    Rule("plans.new", "GET", "/organisations/{org}/plan/new", "editor"),
    Rule("plans.new", "POST", "/organisations/{org}/plan/new", "editor", {"title": "Own step"}),
    Rule("plans.show", "GET", "/organisations/{org}/plan/{plan_action}", "viewer"),
    Rule("plans.edit", "GET", "/organisations/{org}/plan/{plan_action}/edit", "editor"),
    Rule(
        "plans.edit",
        "POST",
        "/organisations/{org}/plan/{plan_action}/edit",
        "editor",
        {"title": "Renamed", "base_revision": "1", "status": "planned"},
    ),
    Rule(
        "plans.status",
        "POST",
        "/organisations/{org}/plan/{plan_action}/status",
        "editor",
        {"status": "done", "base_revision": "1"},
    ),
    Rule("plans.delete", "POST", "/organisations/{org}/plan/{plan_action}/delete", "owner"),
    Rule("plans.adopt", "POST", "/organisations/{org}/plan/adopt/{submitted}", "editor"),
    Rule("plans.export", "GET", "/organisations/{org}/plan/plan.xlsx", "viewer"),
    Rule("plans.export", "GET", "/organisations/{org}/plan/plan.ics", "viewer"),
]


def _plan_action(session: Session, world: dict[str, Any]) -> None:
    """An action of one's own in the plan of {org}, due yesterday (so it is overdue)."""
    from datetime import date
    from datetime import timedelta

    from readiness.models import Organisation
    from readiness.models import User
    from readiness.services import plans

    org = session.get(Organisation, world["org"])
    owner = session.get(User, world["owner"])
    fields = plans.ActionFields(title="Network survey", due_date=date.today() - timedelta(days=1))
    world["plan_action"] = plans.create_action(session, org, owner, fields).id


WORLD_BUILDERS.append(_plan_action)


def _invitation(session: Session, world: dict[str, Any]) -> None:
    """{invitation}: an open invitation of {org}."""
    from readiness.models import User

    owner = session.get(User, world["owner"])
    invitation, _token = organisations.create_invitation(session, owner, world["org"], "viewer")
    world["invitation"] = invitation.id


WORLD_BUILDERS.append(_invitation)
RULES.append(
    Rule(
        "organisations.revoke_invitation",
        "POST",
        "/organisations/{org}/invitations/{invitation}/revoke",
        "owner",
    )
)


def _collaboration(session: Session, world: dict[str, Any]) -> None:
    """{resp}: a several-respondent draft answered by {owner} and {viewer} (both still open);
    {consolidating}: one whose only respondent, {owner}, has submitted (the viewer may look);
    {onsite}: an on-site evaluation by a consultant editor, submitted, awaiting the firm's review;
    {qid}: a question of the flagship, {qfield}: its form-field prefix."""
    from readiness.models import Organisation
    from readiness.models import User
    from readiness.services import assessments
    from readiness.services import respondents
    from readiness.web.assessment_forms import answer_name
    from tests.factories import add_member
    from tests.factories import make_user

    questionnaire = flagship()
    org = session.get(Organisation, world["org"])
    owner = session.get(User, world["owner"])
    qid = questionnaire.questions[0].id
    resp = assessments.start_assessment(session, org, questionnaire, owner, "R", kind="respondents")
    respondents.assign(session, resp, owner, {owner.id: None, world["viewer"]: None})
    done = assessments.start_assessment(session, org, questionnaire, owner, "C", kind="respondents")
    respondents.assign(session, done, owner, {owner.id: None})
    respondents.submit_part(session, respondents.respondent_for(session, done, owner), owner)
    consultant = make_user(session, email="consultant@example.com")
    add_member(session, org, consultant, "editor")
    visit = assessments.start_assessment(
        session, org, questionnaire, consultant, "V", kind="on_site"
    )
    page = {qid: assessments.PageAnswer(assessments.ANSWERED, 3)}
    assessments.save_answers(session, visit, questionnaire, page, visit.revision, consultant)
    assessments.submit(session, visit, questionnaire, consultant, confirm_incomplete=True)
    world.update(resp=resp.id, consolidating=done.id, onsite=visit.id, qid=qid)
    world["qfield"] = answer_name(qid)


WORLD_BUILDERS.append(_collaboration)
RULES += [
    # several respondents: respondents are members of any role (the access below is that of the
    # world's respondents); only the owner assigns, settles and submits (tests/web/test_respondents)
    Rule("respondents.overview", "GET", "/assessments/{resp}/respondents", "viewer"),
    Rule("respondents.overview", "POST", "/assessments/{resp}/respondents", "owner"),
    Rule("respondents.my_part", "GET", "/assessments/{resp}/my-answers", "viewer"),
    Rule("respondents.answer", "GET", "/assessments/{resp}/my-answers/technology", "viewer"),
    Rule(
        "respondents.answer",
        "POST",
        "/assessments/{resp}/my-answers/technology",
        "viewer",
        {"base_revision": "1"},
    ),
    Rule("respondents.submit_part", "POST", "/assessments/{resp}/my-answers/submit", "viewer"),
    Rule(
        "respondents.consolidation", "GET", "/assessments/{consolidating}/consolidation", "viewer"
    ),
    Rule(
        "respondents.settle",
        "POST",
        "/assessments/{consolidating}/consolidation/{qid}",
        "owner",
        {"note": "Agreed"},
    ),
    Rule(
        "respondents.submit", "POST", "/assessments/{consolidating}/consolidation/submit", "owner"
    ),
    # on-site evaluation: the firm's editors (not the consultant) review it
    Rule("onsite.review", "GET", "/assessments/{onsite}/on-site-review", "editor"),
    Rule("onsite.verdict", "POST", "/assessments/{onsite}/on-site-review/{qid}", "editor"),
    Rule("onsite.confirm", "POST", "/assessments/{onsite}/on-site-review/confirm", "editor"),
]


def _programmes(session: Session, world: dict[str, Any]) -> None:
    """{programme}: a programme operated by {org}, with {participation}: a firm sharing answers;
    {programme_token}: an unused invitation to it ({programme_invitation}: its ID); {joined}:
    {org}'s own participation in a programme of another operator."""
    from datetime import date

    from readiness.models import Organisation
    from readiness.models import User
    from readiness.services import programmes
    from tests.factories import make_org
    from tests.factories import make_user
    from tests.programme_data import store_result

    owner = session.get(User, world["owner"])
    programme = programmes.create_programme(
        session, owner, world["org"], "Park", [flagship().id], date(2020, 1, 1)
    )
    firm_owner = make_user(session)
    firm = make_org(session, owner=firm_owner)
    _p, token = programmes.invite_firm(session, owner, programme)
    participation = programmes.join(session, firm_owner, token, firm.id, "answers")
    store_result(session, firm, 42.0, {"technology": 40.0})  # summary rows, no scoring
    unused, world["programme_token"] = programmes.invite_firm(session, owner, programme)
    world["programme_invitation"] = unused.id
    world["programme"], world["participation"] = programme.id, participation.id
    operator = make_user(session)
    other = make_org(session, owner=operator)
    theirs = programmes.create_programme(
        session, operator, other.id, "Elsewhere", [flagship().id], date(2020, 1, 1)
    )
    _p, token = programmes.invite_firm(session, operator, theirs)
    org = session.get(Organisation, world["org"])
    world["joined"] = programmes.join(session, owner, token, org.id, "results").id


WORLD_BUILDERS.append(_programmes)
_P = "/organisations/{org}/programmes/{programme}"
RULES += [
    Rule("programmes.index", "GET", "/organisations/{org}/programmes/", "viewer"),
    Rule("programmes.create", "GET", "/organisations/{org}/programmes/new", "owner"),
    Rule(
        "programmes.create",
        "POST",
        "/organisations/{org}/programmes/new",
        "owner",
        {
            "name": "Pilot",
            "questionnaires": "smart-manufacturing-readiness",
            "starts_on": "2026-01-01",
            "repeat_after_days": "180",
        },
    ),
    Rule("programmes.show", "GET", _P + "/", "viewer"),
    Rule("programmes.invite", "POST", _P + "/invitations", "owner", {"email": "a@example.com"}),
    Rule("programmes.cohort_page", "GET", _P + "/cohort", "viewer"),
    Rule("programmes.cohort_page", "GET", _P + "/cohort?sort=technology&order=asc", "viewer"),
    Rule("programmes.export", "GET", _P + "/cohort.csv", "viewer"),
    Rule("programmes.export", "GET", _P + "/cohort.xlsx", "viewer"),
    Rule("programmes.export", "GET", _P + "/cohort.pdf", "viewer"),
    Rule("programmes.firm", "GET", _P + "/firms/{participation}", "viewer"),
    Rule(
        "programmes.revoke_invitation",
        "POST",
        _P + "/invitations/{programme_invitation}/revoke",
        "owner",
    ),
    Rule(
        "programmes.renew_invitation",
        "POST",
        _P + "/invitations/{programme_invitation}/renew",
        "owner",
    ),
    Rule("programme_admin.edit", "GET", _P + "/edit", "owner"),
    Rule("programme_admin.delete", "GET", _P + "/delete", "owner"),
    Rule("participation.join", "GET", "/programmes/join/{programme_token}", "login"),
    Rule("participation.index", "GET", "/organisations/{org}/programmes-joined/", "viewer"),
    Rule(
        "participation.consent",
        "POST",
        "/organisations/{org}/programmes-joined/{joined}/consent",
        "owner",
    ),
]
