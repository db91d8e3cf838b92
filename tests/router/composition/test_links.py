"""@link import resolution: imports, renames and namespaces."""

from __future__ import annotations

import pytest
from graphql import parse

from router.composition.links import LinkError, resolve_links


def test_imports_renames_and_namespace() -> None:
    links = resolve_links(
        parse(
            'extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", as: "fed", '
            'import: [{name: "@key", as: "@id"}, "@shareable"])'
        )
    )
    assert links.federation_version == (2, 5)
    assert links.canonical["id"] == "key"
    assert links.canonical["shareable"] == "shareable"
    assert links.canonical["fed__external"] == "external"
    assert "fed__key" not in links.canonical
    assert "key" not in links.canonical


def test_fed1_schema_uses_plain_names() -> None:
    links = resolve_links(parse("type Query { a: Int }"))
    assert not links.is_fed2
    assert links.canonical["key"] == "key"
    assert "shareable" not in links.canonical


def test_custom_spec_links_are_kept_for_compose_directive() -> None:
    links = resolve_links(
        parse('extend schema @link(url: "https://example.org/audit/v1.0", import: ["@phi"])')
    )
    [custom] = links.custom
    assert (custom.name, custom.imports) == ("audit", {"phi": "phi"})


def test_federation_v1_link_is_refused() -> None:
    with pytest.raises(LinkError):
        resolve_links(parse('extend schema @link(url: "https://specs.apollo.dev/federation/v1.0")'))
