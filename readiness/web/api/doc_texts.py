"""The API reference page's texts, so that they are translated like every other text.

The OpenAPI document (openapi.yaml) is written in English. Each of its summaries and
descriptions is listed here for the message catalogs; the reference page (api/docs.html) shows
them through `api_text`, which looks the English text up (whitespace collapsed) in the catalog.
tests/api/test_document.py fails when the document has a text this list lacks.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

DOC_TEXTS = (
    _l(
        'Every call needs a personal access token, created on the account page ("API '
        'tokens"): `Authorization: Bearer rdy_…`. A token opens one organisation with its'
        " holder's role there; a `read` token can only read, a `write` token can also "
        "change (if the role allows it). Session cookies are not accepted. Errors are "
        "`application/problem+json` (RFC 9457). Answers are saved with optimistic "
        "concurrency: read the assessment's revision (the `ETag` of its answers), send it"
        " back in `If-Match`; answers someone else changed in between are not overwritten"
        " but listed in a `409` response. Plan actions work the same way: the action's "
        "revision is its `ETag`, and a change from a stale revision gets `412`."
    ),
    _l("Smart-manufacturing and AI readiness assessments of your organisation, as JSON."),
    _l("Every questionnaire version this installation offers."),
    _l("The questionnaires."),
    _l("A questionnaire with every question, its type and allowed values."),
    _l("A version; the latest when left out."),
    _l("The questionnaire."),
    _l("The organisation the token opens, with the holder's role."),
    _l("The caller's organisations (one per token)."),
    _l("The organisation's assessments, most recently changed first, a page at a time."),
    _l("One page of assessments."),
    _l("Start a draft assessment (editors, write token)."),
    _l("The new draft."),
    _l("One assessment with its progress."),
    _l("The assessment."),
    _l("Delete a draft (editors) or a submitted assessment (owners, with confirm=true)."),
    _l(
        "Everything of the assessment goes: answers, stored results, share links and "
        "cached reports. A submitted assessment needs `confirm=true`."
    ),
    _l("Deleted."),
    _l("The stored answers, by question ID; the ETag is the assessment's revision."),
    _l("The answers."),
    _l("Change some answers of a draft (editors, write token); needs If-Match."),
    _l(
        "Only the questions named in the body change; a field left out of an answer keeps"
        " its stored value, and `null` instead of an answer clears it. Questions someone "
        "else changed since the revision in `If-Match` are not overwritten: the response "
        "is `409` and lists them under `conflicts` (the other questions were saved, see "
        "`saved` and `revision`)."
    ),
    _l('The ETag (revision) the changes are based on, e.g. `"3"`.'),
    _l("Saved."),
    _l("Submit a draft (editors, write token); it is scored and its answers locked."),
    _l("Submitted."),
    _l("The scored result of a submitted assessment (scores, levels, recommendations)."),
    _l("The language of texts (en or zh); the questionnaire's first one by default."),
    _l("The result document."),
    _l("The report of a submitted assessment as PDF, HTML, Word, Excel, CSV or JSON."),
    _l("The report file."),
    _l("Compare two or more submitted assessments (two side by side, more over time)."),
    _l("The comparison (JSON) or its rows (CSV)."),
    _l("The organisation's plan actions, by due date (undated last), a page at a time."),
    _l(
        "Filters combine: `status`, `measure` (§6.x), `pillar`, `owner` (`none`, "
        "`user:<user ID>` of a member, or `name:<name>` of a person outside the app) and "
        "`overdue=true` (open actions past their due date)."
    ),
    _l("One page of actions."),
    _l("Write an action of one's own into the plan (editors, write token)."),
    _l(
        "Its measure, challenge area, pillar and question IDs must belong to the "
        "questionnaire named by `questionnaire_id` (and `questionnaire_version`), by "
        "default the one the organisation last used in its latest version."
    ),
    _l("The new action."),
    _l("One plan action; its ETag is the revision to send back in If-Match."),
    _l("The action."),
    _l("Change some fields of an action (editors, write token); needs If-Match."),
    _l(
        "Only the fields in the body change; every change is recorded in the action's "
        "history. If the action changed since the revision in `If-Match`, nothing is "
        "saved and the response is `412`: read it again and reapply."
    ),
    _l('The ETag (revision) of the action the change is based on, e.g. `"3"`.'),
    _l("Delete an action and its history (owners, write token)."),
    _l("Every recorded change of an action, oldest first (who, when, what)."),
    _l("The history."),
    _l("The request is malformed."),
    _l("No token, or an unknown, expired or revoked one."),
    _l("The token's scope or the holder's role does not allow this."),
    _l("No such thing in the token's organisation."),
    _l("The state does not allow this (e.g. already submitted), or answers conflict."),
    _l("If-Match is missing (428) or not a revision (412)."),
    _l("The data does not fit (an answer outside its question's range …)."),
    _l("The rate limit is reached; retry later."),
    _l("A text in each language, by language code."),
    _l("null means unanswered (the row may still hold a comment or evidence)."),
    _l("The answer: a level, a number, an option ID, a list of option IDs or true/false."),
    _l("Required with status answered (the default when a value is given)."),
    _l("Submit although questions are unanswered (they score 0)."),
    _l("The result document (see docs/methodology.md)."),
    _l("The JSON report; also accepted by `readiness score` and `readiness compare`."),
    _l("A measure (§6.x) of the questionnaire."),
    _l("The questions the action should move."),
    _l("A member's user ID."),
    _l("A person outside the app."),
    _l("Needed when the status is dropped."),
    _l("The questionnaire the links belong to."),
    _l("The owner's name (a member's or an outside person's)."),
    _l("A personal access token (`rdy_…`) from the account page."),
    _l("Field name -> [before, after]."),
    _l('The assessment\'s revision, quoted (e.g. `"3"`).'),
    _l('The plan action\'s revision, quoted (e.g. `"3"`).'),
    _l("A format-2 questionnaire (aggregation as a tree, docs/questionnaire-format.md)."),
    _l("The questionnaire (format 1), or its items and tree (format 2)."),
    _l(
        "The result document (see docs/methodology.md); for a format-2 questionnaire every "
        "node and item on its native scale (full-precision value, display value, maximum, "
        "level) and the conditions of its level rules."
    ),
    _l(
        "A pair or a series of assessments; a tree for assessments of one format-2 "
        "questionnaire, compared node by node."
    ),
    _l("Who answers an assessment with several respondents, and who has submitted."),
    _l(
        "The members asked to answer (all pillars, or the listed ones) and whether each "
        "has submitted their part. Their answers stay private until the owner "
        "consolidates them."
    ),
    _l("The respondents."),
    _l("The pillars the respondent answers; null for all."),
    _l("The firm's verdicts on an on-site evaluation, and the answers still to review (editors)."),
    _l("The verdicts."),
    _l("Whether the evaluation counts as the firm's result (once confirmed)."),
    _l("Answered questions without a verdict yet."),
    _l("Confirm or dispute one answer of an on-site evaluation (editors, write token)."),
    _l(
        "The consultant who made the evaluation cannot review it (`403`). A disputed "
        "answer needs a `note` saying what is wrong with it."
    ),
    _l("The verdict."),
    _l("Required when disputing."),
    _l(
        "Confirm a reviewed on-site evaluation; it becomes the firm's official result "
        "(editors, write token)."
    ),
    _l(
        "Every answer needs a verdict first; otherwise the response is `409` and lists "
        "the answers still to review under `questions`."
    ),
    _l("The confirmed evaluation."),
    _l("The programmes the organisation runs as an operator, newest first, a page at a time."),
    _l("One page of programmes."),
    _l("A programme's firms with their status and, with their consent, their latest scores."),
    _l(
        "Only what each firm consented to: a firm that withdrew its consent is not listed "
        "at all (`withdrawn` counts them); a firm that has not joined shows only its "
        "invitation. Answers are never included."
    ),
    _l("One page of firms."),
    _l("The firm's name once it has joined."),
    _l("Firms that withdrew their consent (not listed)."),
    _l("The firm's latest submitted assessment in the programme, as scores and levels."),
    _l("The cohort's distributions over the consenting firms' latest results."),
    _l(
        "Counts of firms per overall score (rounded to whole points) and level, per "
        "pillar and challenge area, broken down by sector, industry, size band and "
        "region, and the mean score per round for firms that repeated."
    ),
    _l("One of the programme's questionnaires; its first by default."),
    _l("The cohort."),
    _l(
        "Per dimension (`sector`, `industry`, `size_band`, `region`), the overall scores "
        "of each group."
    ),
    _l("The programmes the organisation takes part in as a firm, with what each may see."),
    _l("The participations."),
    _l(
        "Share results, or results and answers, with a programme, or withdraw (owners, "
        "write token)."
    ),
    _l(
        "`null` withdraws the consent: from then on the operator sees nothing of the "
        "organisation. The change is recorded in the organisation's audit log."
    ),
    _l("null withdraws the consent."),
    _l("The participation."),
    _l(
        "How the assessment was made (reports of stored assessments): `kind` (self, "
        "on_site, respondents), `summary` (one line in the report's language), "
        "`official`, `evaluator`, `confirmed_by`, `disputed_answers`, and `disagreements` "
        "(per question: `question_id`, `question`, `answers` of each respondent with "
        "their `level`, `spread`, `disputed`, `settled`, `note`, `settled_by`)."
    ),
)
