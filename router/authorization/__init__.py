"""Directive authorization at the router: @authenticated, @requiresScopes and @policy from the supergraph."""

from router.authorization.authorizer import Authorizer
from router.authorization.filtering import UNAUTHORIZED, Filtered
from router.authorization.metadata import AuthorizationMetadata, read_metadata
from router.authorization.policies import PolicyRule, PolicySet
from router.authorization.requirements import Access, Requirement

__all__ = [
    "UNAUTHORIZED",
    "Access",
    "AuthorizationMetadata",
    "Authorizer",
    "Filtered",
    "PolicyRule",
    "PolicySet",
    "Requirement",
    "read_metadata",
]
