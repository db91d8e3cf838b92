"""Field guards (:mod:`subgraphs.common.field_guard`): declared directives, enforced here too."""

from subgraphs.common.field_guard import ScopeGuard, guarded, require_scopes

__all__ = ["ScopeGuard", "guarded", "require_scopes"]
