"""Reading authorization directives from a supergraph, under their linked names."""

from __future__ import annotations

from pathlib import Path

from router.authorization import Requirement, read_metadata
from tests.router.authorization.supergraph import authorization_sdl


def test_our_supergraph_carries_the_subgraphs_directives(repo_root: Path) -> None:
    metadata = read_metadata((repo_root / "schema" / "supergraph.graphql").read_text())
    assert metadata.fields[("Query", "me")] == Requirement(authenticated=True)
    assert metadata.fields[("Query", "users")] == Requirement(
        scopes=((frozenset({"users:read"}),),)
    )
    patient = metadata.types["Patient"]
    assert patient.authenticated
    assert patient.policies == ((frozenset({"clinical.patient_access"}),),)
    assert patient.scopes == ((frozenset({"patients:read"}), frozenset({"patients:read:own"})),)


def test_directives_renamed_by_their_link_are_found() -> None:
    sdl = authorization_sdl().replace(
        '@link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)',
        '@link(url: "https://specs.apollo.dev/authenticated/v0.1", as: "signedIn", for: SECURITY)',
    )
    sdl = sdl.replace("@authenticated", "@signedIn")
    metadata = read_metadata(sdl)
    assert metadata.types["Admission"] == Requirement(authenticated=True)
    assert metadata.fields[("Patient", "statementName")] == Requirement(authenticated=True)


def test_a_supergraph_without_the_specs_has_no_requirements() -> None:
    sdl = authorization_sdl()
    for spec in ("authenticated", "requiresScopes", "policy"):
        sdl = sdl.replace(
            f'  @link(url: "https://specs.apollo.dev/{spec}/v0.1", for: SECURITY)\n', ""
        )
    assert read_metadata(sdl).empty
