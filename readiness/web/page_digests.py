"""What a questionnaire page showed when it was loaded: digests that tell untouched answers apart.

A page form carries, in its hidden `loaded` field, a short digest of every question's answer as
the page showed it. On save, a question whose input still has that digest was left alone by its
user: someone else's newer answer to it is kept without a conflict to resolve.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from flask_wtf import FlaskForm

from readiness.domain.questionnaire import Question
from readiness.services.answer_input import PageAnswer


def answer_digest(given: PageAnswer) -> str:
    """A short fingerprint of one question's answer and notes (equal input, equal digest)."""
    raw = json.dumps(
        [given.status, given.value, given.comment, given.evidence],
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:12]


def loaded_digests(questions: tuple[Question, ...], stored: Mapping[str, PageAnswer]) -> str:
    """The `loaded` field's value: the digest of every question's answer as the form shows it."""
    return " ".join(answer_digest(stored.get(q.id, PageAnswer())) for q in questions)


def untouched_questions(form: FlaskForm, page: Mapping[str, PageAnswer]) -> list[str]:
    """The questions of `page` whose input is still what the form showed when it was loaded.

    A missing or malformed `loaded` field counts every question as changed (the safe side).
    """
    digests = (form.loaded.data or "").split()
    if len(digests) != len(form.questions):
        return []
    return [
        q.id
        for q, digest in zip(form.questions, digests, strict=True)
        if q.id in page and answer_digest(page[q.id]) == digest
    ]
