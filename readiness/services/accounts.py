"""Account use cases: users, passwords, organisations, members, invitations, access checks."""

from __future__ import annotations

import hashlib
import secrets

from itsdangerous import BadSignature
from itsdangerous import SignatureExpired
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import bindparam
from sqlalchemy import func
from sqlalchemy import inspect
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm import contains_eager
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash
from werkzeug.security import generate_password_hash

from readiness.models import ROLES
from readiness.models import Membership
from readiness.models import Organisation
from readiness.models import User
from readiness.models.accounts import new_session_token
from readiness.models.base import MAX_ID
from readiness.models.base import utcnow
from readiness.services.locking import lock_row

MIN_PASSWORD_LENGTH = 10
RESET_SALT = "readiness.password-reset"
RESET_MAX_AGE = 3600  # seconds: a reset link works for one hour
# werkzeug's hashing method; the test suite swaps in a cheap one (hashes record their method).
PASSWORD_HASH_METHOD = "scrypt"
# session.info key: (transaction, user ID, memberships by organisation) read by memberships_of
KEPT_MEMBERSHIPS = "readiness.kept_memberships"
# Every signed-in request runs these two; built once, as building a select() anew costs more
# than running it (docs/performance.md).
USER_BY_ID = (
    select(User)
    .where(User.id == bindparam("user_id"))
    .options(joinedload(User.memberships).joinedload(Membership.organisation))
)
MEMBERSHIPS_OF_USER = (
    select(Membership)
    .join(Membership.organisation)
    .where(Membership.user_id == bindparam("user_id"))
    .options(contains_eager(Membership.organisation))  # one query, not two
    .order_by(func.lower(Organisation.name), Organisation.id)
)


class AccountError(Exception):
    """Base of the account errors; the message is safe to show to the user."""


class EmailTaken(AccountError):
    """Another account already uses this e-mail address."""


class InvalidCredentials(AccountError):
    """The e-mail address and password do not match an account."""


class WeakPassword(AccountError):
    """The new password is too short."""


class InvalidToken(AccountError):
    """A reset or invitation link is unknown, expired or already used."""


class InvitationUsed(InvalidToken):
    """The invitation link was genuine but has been used already."""


class InvitationExpired(InvalidToken):
    """The invitation link was genuine but its time is up."""


class NotFound(AccountError):
    """The organisation or member does not exist, or the user is not a member (shown as 404)."""


class Forbidden(AccountError):
    """The user is a member, but their role does not allow this (shown as 403)."""


class LastOwner(AccountError):
    """The change would leave the organisation without an owner."""


class AlreadyMember(AccountError):
    """The user already belongs to this organisation."""


def normalise_email(email: str) -> str:
    """An e-mail address trimmed and lower-cased, as it is stored."""
    return email.strip().lower()


def hash_password(password: str) -> str:
    """A salted hash of `password` (method PASSWORD_HASH_METHOD)."""
    return generate_password_hash(password, method=PASSWORD_HASH_METHOD)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")


def check_role(role: str) -> None:
    """Raise ValueError unless `role` is one of ROLES (a programming error, not user input)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")


def user_by_email(session: Session, email: str) -> User | None:
    """The user with this e-mail address (any case), or None."""
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def register_user(
    session: Session, email: str, name: str, password: str, locale: str | None = None
) -> User:
    """Create an account; raises EmailTaken or WeakPassword."""
    _check_password(password)
    email = normalise_email(email)
    if session.scalar(select(func.count()).select_from(User).where(User.email == email)):
        raise EmailTaken("An account with this e-mail address already exists.")
    user = User(
        email=email,
        name=name.strip(),
        password_hash=hash_password(password),
        locale=locale,
    )
    session.add(user)
    try:
        session.commit()
    except IntegrityError:  # registered at the same moment by another request
        session.rollback()
        raise EmailTaken("An account with this e-mail address already exists.") from None
    return user


_DUMMY_HASHES: dict[str, str] = {}


def _dummy_hash() -> str:
    """A hash of a random password made with the current method (the work an unknown user costs)."""
    method = PASSWORD_HASH_METHOD
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = hash_password(secrets.token_hex(16))
    return _DUMMY_HASHES[method]


def authenticate(session: Session, email: str, password: str) -> User:
    """The user with these credentials, noting the login time; raises InvalidCredentials.

    An unknown address costs the same password check as a known one, so timing tells nothing.
    """
    user = user_by_email(session, email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        raise InvalidCredentials("Invalid e-mail address or password.")
    if not check_password_hash(user.password_hash, password):
        raise InvalidCredentials("Invalid e-mail address or password.")
    user.last_login_at = utcnow()
    session.commit()
    return user


def change_password(session: Session, user: User, current: str, new: str) -> None:
    """Replace the user's password after checking the current one; every session ends.

    The caller signs the current session in again with the new session token.
    """
    if not check_password_hash(user.password_hash, current):
        raise InvalidCredentials("The current password is wrong.")
    _check_password(new)
    user.password_hash = hash_password(new)
    user.session_token = new_session_token()  # ends the user's other sessions
    session.commit()


def end_sessions(session: Session, user: User) -> None:
    """Sign the user out of every session (logout): a new session token voids the old ones."""
    user.session_token = new_session_token()
    session.commit()


def set_locale(session: Session, user: User, locale: str | None) -> None:
    """Store the user's preferred language (None: follow the browser)."""
    user.locale = locale
    session.commit()


def _reset_serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=RESET_SALT)


def _password_fingerprint(user: User) -> str:
    # Part of the token, so a token dies as soon as the password changes.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_reset_token(user: User, secret_key: str) -> str:
    """A signed password-reset token for `user`, valid for an hour and for one password change."""
    return _reset_serializer(secret_key).dumps({"u": user.id, "p": _password_fingerprint(user)})


def user_for_session_id(session: Session, session_id: str) -> User | None:
    """The user of a Flask-Login session ID ("<user id>:<session token>") while it is valid."""
    user_id, _, token = session_id.partition(":")
    if not (user_id.isascii() and user_id.isdigit()) or not token or int(user_id) > MAX_ID:
        return None
    user = session.execute(USER_BY_ID, {"user_id": int(user_id)}).unique().scalar_one_or_none()
    if user is None or not secrets.compare_digest(user.session_token.encode(), token.encode()):
        return None
    return user


def user_for_reset_token(
    session: Session, token: str, secret_key: str, max_age: int = RESET_MAX_AGE
) -> User:
    """The user a valid reset token belongs to; raises InvalidToken."""
    try:
        data = _reset_serializer(secret_key).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise InvalidToken("This reset link has expired; please ask for a new one.") from exc
    except BadSignature as exc:
        raise InvalidToken("This reset link is not valid.") from exc
    user_id = data.get("u") if isinstance(data, dict) else None
    valid_id = isinstance(user_id, int) and 0 < user_id <= MAX_ID
    user = session.get(User, user_id) if valid_id else None
    if user is None or data.get("p") != _password_fingerprint(user):
        raise InvalidToken("This reset link has already been used.")
    return user


def reset_password(
    session: Session, token: str, new_password: str, secret_key: str, max_age: int = RESET_MAX_AGE
) -> User:
    """Set a new password with a reset token; the token is spent and every session ends.

    The user's row is locked and the token checked again, so one link sets one password.
    """
    user = user_for_reset_token(session, token, secret_key, max_age)
    _check_password(new_password)
    lock_row(session, User, user.id)
    user = user_for_reset_token(session, token, secret_key, max_age)
    user.password_hash = hash_password(new_password)
    user.session_token = new_session_token()  # a stolen session must not outlive the reset
    session.commit()
    return user


def require_role(session: Session, user: User, organisation_id: int, min_role: str) -> Membership:
    """The user's membership of the organisation if its role is at least `min_role`.

    :raises NotFound: the organisation does not exist or the user is not a member.
    :raises Forbidden: the user's role is below `min_role`.
    """
    check_role(min_role)
    kept = session.info.get(KEPT_MEMBERSHIPS)
    if kept is not None and kept[0] is session.get_transaction() and kept[1] == user.id:
        membership = kept[2].get(organisation_id)  # read in this transaction already
    else:
        membership = session.scalar(
            select(Membership).where(
                Membership.user_id == user.id, Membership.organisation_id == organisation_id
            )
        )
    if membership is None:
        raise NotFound("No such organisation.")
    if ROLES.index(membership.role) < ROLES.index(min_role):
        raise Forbidden("Your role in this organisation does not allow this.")
    return membership


def memberships_of(session: Session, user: User, keep: bool = False) -> list[Membership]:
    """The user's memberships with their organisations, by organisation name.

    With `keep`, role checks later in the same transaction (require_role) use these instead of
    reading the membership again: a page that only reads checks its roles without a query.
    """
    if keep and "memberships" not in inspect(user).unloaded:  # read with the user, unchanged
        memberships = sorted(
            user.memberships, key=lambda m: (m.organisation.name.lower(), m.organisation_id)
        )
    else:
        memberships = list(session.scalars(MEMBERSHIPS_OF_USER, {"user_id": user.id}))
    if keep:
        by_org = {m.organisation_id: m for m in memberships}
        session.info[KEPT_MEMBERSHIPS] = (session.get_transaction(), user.id, by_org)
    return memberships
