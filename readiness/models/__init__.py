"""The database tables; importing this package makes Base.metadata complete (Alembic's target)."""

from readiness.models.accounts import ROLES
from readiness.models.accounts import Invitation
from readiness.models.accounts import Membership
from readiness.models.accounts import Organisation
from readiness.models.accounts import User
from readiness.models.assessments import ANSWER_STATUSES
from readiness.models.assessments import ASSESSMENT_KINDS
from readiness.models.assessments import ASSESSMENT_STATUSES
from readiness.models.assessments import Answer
from readiness.models.assessments import Assessment
from readiness.models.assessments import AssessmentScore
from readiness.models.assessments import ShareLink
from readiness.models.base import Base
from readiness.models.collaboration import OnSiteReview
from readiness.models.collaboration import Respondent
from readiness.models.collaboration import RespondentAnswer
from readiness.models.collaboration import Settlement
from readiness.models.plans import ACTION_STATUSES
from readiness.models.plans import PlanAction
from readiness.models.plans import PlanActionChange
from readiness.models.programmes import CONSENTS
from readiness.models.programmes import CohortMember
from readiness.models.programmes import Participation
from readiness.models.programmes import ParticipationRecord
from readiness.models.programmes import PeerBin
from readiness.models.programmes import PeerScore
from readiness.models.programmes import Programme
from readiness.models.records import TOKEN_SCOPES
from readiness.models.records import ApiToken
from readiness.models.records import AuditEvent

__all__ = [
    "ACTION_STATUSES",
    "CONSENTS",
    "CohortMember",
    "Participation",
    "ParticipationRecord",
    "PeerBin",
    "PeerScore",
    "Programme",
    "PlanAction",
    "PlanActionChange",
    "ANSWER_STATUSES",
    "ASSESSMENT_KINDS",
    "ASSESSMENT_STATUSES",
    "ROLES",
    "TOKEN_SCOPES",
    "Answer",
    "ApiToken",
    "Assessment",
    "AssessmentScore",
    "AuditEvent",
    "Base",
    "Invitation",
    "Membership",
    "OnSiteReview",
    "Organisation",
    "Respondent",
    "RespondentAnswer",
    "Settlement",
    "ShareLink",
    "User",
]
