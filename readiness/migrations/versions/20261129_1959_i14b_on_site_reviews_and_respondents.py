"""on-site evaluations (kind, confirmation, the firm's reviews) and several respondents

Revision ID: i14b
Revises: i16b
Create Date: 2026-11-29 19:59:08.719074+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# The list's and the history's covering indexes (i16b) also cover the kind of assessment and its
# confirmation, which both pages show: they are built again with the two columns at the end.
LIST_COLUMNS = [
    "organisation_id",
    "updated_at",
    "id",
    "status",
    "questionnaire_id",
    "questionnaire_version",
    "title",
]
DATES_COLUMNS = [
    "organisation_id",
    "status",
    "submitted_at",
    "id",
    "created_at",
    "questionnaire_id",
    "questionnaire_version",
    "overall_score",
    "overall_level",
    "title",
]
KIND_COLUMNS = ["kind", "confirmed_at"]


def _covering_indexes(extra: list[str]) -> None:
    op.drop_index("ix_assessments_org_list", table_name="assessments")
    op.create_index("ix_assessments_org_list", "assessments", LIST_COLUMNS + extra)
    op.drop_index("ix_assessments_org_status_dates", table_name="assessments")
    op.create_index("ix_assessments_org_status_dates", "assessments", DATES_COLUMNS + extra)

revision = 'i14b'
down_revision = 'i16b'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table('onsite_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.String(length=100), nullable=False),
    sa.Column('verdict', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("verdict IN ('confirmed', 'disputed')", name=op.f('ck_onsite_reviews_verdict')),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_onsite_reviews_assessment_id_assessments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_onsite_reviews_reviewed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_onsite_reviews')),
    sa.UniqueConstraint('assessment_id', 'question_id', name=op.f('uq_onsite_reviews_assessment_id_question_id'))
    )
    with op.batch_alter_table('onsite_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_onsite_reviews_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('respondents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('pillars', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_respondents_assessment_id_assessments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_respondents_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_respondents')),
    sa.UniqueConstraint('assessment_id', 'user_id', name=op.f('uq_respondents_assessment_id_user_id'))
    )
    with op.batch_alter_table('respondents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_respondents_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_respondents_user_id'), ['user_id'], unique=False)

    op.create_table('settlements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('value', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('settled_by_id', sa.Integer(), nullable=True),
    sa.Column('settled_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('answered', 'not_applicable', 'dont_know')", name=op.f('ck_settlements_status')),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_settlements_assessment_id_assessments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['settled_by_id'], ['users.id'], name=op.f('fk_settlements_settled_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_settlements')),
    sa.UniqueConstraint('assessment_id', 'question_id', name=op.f('uq_settlements_assessment_id_question_id'))
    )
    with op.batch_alter_table('settlements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_settlements_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('respondent_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('respondent_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.String(length=100), nullable=False),
    sa.Column('value', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('answered', 'not_applicable', 'dont_know')", name=op.f('ck_respondent_answers_status')),
    sa.ForeignKeyConstraint(['respondent_id'], ['respondents.id'], name=op.f('fk_respondent_answers_respondent_id_respondents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_respondent_answers')),
    sa.UniqueConstraint('respondent_id', 'question_id', name=op.f('uq_respondent_answers_respondent_id_question_id'))
    )
    with op.batch_alter_table('respondent_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_respondent_answers_respondent_id'), ['respondent_id'], unique=False)

    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), server_default='self', nullable=False))
        batch_op.add_column(sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('confirmed_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_assessments_confirmed_by_id_users'), 'users', ['confirmed_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_check_constraint('kind', "kind IN ('self', 'on_site', 'respondents')")
    _covering_indexes(KIND_COLUMNS)



def downgrade() -> None:
    """Revert this revision."""
    _covering_indexes([])
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_assessments_kind'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_assessments_confirmed_by_id_users'), type_='foreignkey')
        batch_op.drop_column('confirmed_by_id')
        batch_op.drop_column('confirmed_at')
        batch_op.drop_column('kind')

    with op.batch_alter_table('respondent_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_respondent_answers_respondent_id'))

    op.drop_table('respondent_answers')
    with op.batch_alter_table('settlements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_settlements_assessment_id'))

    op.drop_table('settlements')
    with op.batch_alter_table('respondents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_respondents_user_id'))
        batch_op.drop_index(batch_op.f('ix_respondents_assessment_id'))

    op.drop_table('respondents')
    with op.batch_alter_table('onsite_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_onsite_reviews_assessment_id'))

    op.drop_table('onsite_reviews')
