"""Repositories: typed access to the tables, inside the caller's unit of work."""

from openimr.store.repositories.cases import CaseRepository, name_key, to_application
from openimr.store.repositories.deadlines import DeadlineRepository
from openimr.store.repositories.determinations import (
    DeterminationRepository,
    content_hash,
    to_determination,
)
from openimr.store.repositories.documents import DocumentInput, DocumentRepository
from openimr.store.repositories.letters import LetterInput, LetterRepository
from openimr.store.repositories.reviewers import ReviewerRepository, to_profile
from openimr.store.repositories.users import Role, UserRepository

__all__ = [
    "CaseRepository",
    "DeadlineRepository",
    "DeterminationRepository",
    "DocumentInput",
    "DocumentRepository",
    "LetterInput",
    "LetterRepository",
    "ReviewerRepository",
    "Role",
    "UserRepository",
    "content_hash",
    "name_key",
    "to_application",
    "to_determination",
    "to_profile",
]
