"""Test support: the sample hospital supergraph with authorization directives added."""

from __future__ import annotations

from tests.router.loopback import sample_sdl

__all__ = ["POLICIES", "authorization_sdl"]

_LINKS = """  @link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY)
  @link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)
  @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)
  @link(url: "https://specs.apollo.dev/policy/v0.1", for: SECURITY)"""

_DEFINITIONS = """
directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
directive @requiresScopes(scopes: [[requiresScopes__Scope!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
directive @policy(policies: [[policy__Policy!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
scalar requiresScopes__Scope
scalar policy__Policy
"""

# billing.balance is granted to ADMIN at the router; billing.unknown has no rule (never granted)
POLICIES = {"billing.balance": {"roles": ["ADMIN"]}}


def authorization_sdl() -> str:
    sdl = sample_sdl()
    replacements = {
        '  @link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY)': _LINKS,
        "statementName: String @join__field(": "statementName: String @authenticated @join__field(",
        "balance: Int! @join__field(graph: BILLING)": (
            'balance: Int! @join__field(graph: BILLING) @policy(policies: [["billing.balance"]])'
        ),
        "visits(last: Int): [Visit!]! @join__field(graph: CLINICAL)": (
            "visits(last: Int): [Visit!]! @join__field(graph: CLINICAL)"
            ' @requiresScopes(scopes: [["visits:read"], ["admin:all", "visits:all"]])'
        ),
        "cost: Int @join__field(graph: BILLING)": (
            'cost: Int @join__field(graph: BILLING) @policy(policies: [["billing.unknown"]])'
        ),
        "type Admission\n": "type Admission @authenticated\n",
    }
    for old, new in replacements.items():
        assert old in sdl, old
        sdl = sdl.replace(old, new)
    return sdl + _DEFINITIONS
