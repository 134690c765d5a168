"""The plan survives the flagship's version change: v1 links follow v2's declared ID map."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

from flask import Flask
from sqlalchemy.orm import Session

from readiness.domain.plan_links import candidates
from readiness.services import assessments as svc
from readiness.services import comparisons
from readiness.services import plans
from readiness.services.plan_loop import linked_by_question
from readiness.services.plan_loop import measure_outcomes
from readiness.services.plan_loop import question_ids_in
from tests import factories

FLAGSHIP = "smart-manufacturing-readiness"
RENAMED = ("infrastructure.security_incident", "infrastructure.security_detection")


def test_plan_links_follow_the_flagship_v1_to_v2_map(app: Flask, db_session: Session) -> None:
    catalogue = app.extensions["catalogue"]
    v1, v2 = catalogue.get(FLAGSHIP, 1), catalogue.get(FLAGSHIP, 2)
    assert v2.question(RENAMED[0]) is None and v2.question(RENAMED[1]) is not None
    owner = factories.make_user(db_session)
    org = factories.make_org(db_session, owner, "Versions Ltd")
    first = svc.start_assessment(db_session, org, v1, owner, "v1")
    page = {RENAMED[0]: svc.PageAnswer("answered", True), "talent.leadership": svc.PageAnswer()}
    svc.save_answers(db_session, first, v1, page, first.revision, owner)
    svc.submit(db_session, first, v1, owner, confirm_incomplete=True)
    # an own action on the renamed question and an adopted one, both linked under v1
    own = plans.create_action(
        db_session,
        org,
        owner,
        plans.ActionFields(
            "Incident drill", measure_id="6.3", challenge_area="5.3", question_ids=[RENAMED[0]]
        ),
        questionnaire=(FLAGSHIP, 1),
    )
    offered = candidates(v1, svc.stored_result(db_session, first, "en"))
    adopted = plans.adopt(db_session, org, owner, first, offered[:3]).added
    assert len(adopted) == 3 and all(a.questionnaire_version == 1 for a in adopted)
    assert question_ids_in(own, v2) == (RENAMED[1],)
    for action in adopted:  # every v1 ID is mapped, so none is lost
        assert len(question_ids_in(action, v2)) == len(action.question_ids), action.title
    plans.set_status(db_session, own, owner, "done", own.revision)
    own.done_at = datetime.now(UTC) - timedelta(seconds=1)
    first.submitted_at = datetime.now(UTC) - timedelta(days=1)
    db_session.commit()

    repeat, _skipped = comparisons.repeat_assessment(
        db_session, org, owner, catalogue, "v2", version=2
    )
    assert repeat.questionnaire_version == 2 and repeat.previous_assessment_id == first.id
    links = linked_by_question(db_session, repeat, v2)
    assert [(a.title, a.done_since_last) for a in links[RENAMED[1]]] == [("Incident drill", True)]
    assert RENAMED[0] not in links
    svc.submit(db_session, repeat, v2, owner, confirm_incomplete=True)
    before = comparisons.scored(db_session, first, catalogue)
    after = comparisons.scored(db_session, repeat, catalogue)
    outcomes = measure_outcomes(
        db_session,
        org.id,
        (before.questionnaire, before.scorecard, before.when),
        (after.questionnaire, after.scorecard, after.when),
        comparisons.compare_pair(before, after),
        "en",
    )
    security = next(o for o in outcomes if o.measure == "6.3")
    assert "Incident drill" in security.done
    assert (RENAMED[0], RENAMED[1]) in {(q.before_id, q.after_id) for q in security.questions}
