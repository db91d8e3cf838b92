"""The Python renderer of kustomize's subset (tests/deploy/kustomize.py) on small kustomizations."""

from __future__ import annotations

from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from tests.deploy.kustomize import KustomizeError, apply_json_patch, render

DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web"},
    "spec": {
        "replicas": 2,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "web", "image": "healthgraph", "args": ["a", "b"]}]},
        },
    },
}


def write_kustomization(directory: Path, kustomization: dict[str, object]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "kustomization.yaml").write_text(yaml.safe_dump(kustomization))
    return directory


def test_json_patch_add_replace_remove() -> None:
    patched = apply_json_patch(
        DEPLOYMENT,
        [
            {"op": "replace", "path": "/spec/replicas", "value": 3},
            {"op": "add", "path": "/spec/template/spec/containers/0/args/-", "value": "c"},
            {"op": "remove", "path": "/spec/template/spec/containers/0/args/0"},
            {"op": "add", "path": "/metadata/labels", "value": {"tier": "web"}},
        ],
    )
    assert patched["spec"]["replicas"] == 3
    assert patched["spec"]["template"]["spec"]["containers"][0]["args"] == ["b", "c"]
    assert patched["metadata"]["labels"] == {"tier": "web"}
    assert DEPLOYMENT["spec"]["replicas"] == 2  # type: ignore[index] (the input is left alone)
    with pytest.raises(KustomizeError, match="does not exist"):
        apply_json_patch(DEPLOYMENT, [{"op": "replace", "path": "/spec/paused", "value": True}])


def test_overlay_over_base_with_namespace_images_patches_and_config_map(tmp_path: Path) -> None:
    base = write_kustomization(
        tmp_path / "base",
        {
            "resources": ["web.yaml"],
            "generatorOptions": {"disableNameSuffixHash": True},
            "configMapGenerator": [{"name": "files", "files": ["config/app.txt"]}],
        },
    )
    (base / "web.yaml").write_text(yaml.safe_dump(DEPLOYMENT))
    (base / "config").mkdir()
    (base / "config" / "app.txt").write_text("hello\n")
    overlay = write_kustomization(
        tmp_path / "prod",
        {
            "namespace": "shop",
            "resources": ["../base"],
            "images": [{"name": "healthgraph", "newName": "registry.test/hg", "newTag": "1.2"}],
            "patches": [
                {
                    "target": {"kind": "Deployment", "name": "web"},
                    "patch": "- {op: replace, path: /spec/replicas, value: 5}",
                }
            ],
        },
    )
    web, files = render(overlay)
    assert web["metadata"]["namespace"] == files["metadata"]["namespace"] == "shop"
    assert web["spec"]["replicas"] == 5
    assert web["spec"]["template"]["spec"]["containers"][0]["image"] == "registry.test/hg:1.2"
    assert files["data"] == {"app.txt": "hello\n"}


def test_what_the_renderer_does_not_know_is_refused(tmp_path: Path) -> None:
    unknown = write_kustomization(tmp_path / "a", {"resources": [], "commonLabels": {"a": "b"}})
    with pytest.raises(KustomizeError, match="commonLabels"):
        render(unknown)
    outside = write_kustomization(
        tmp_path / "b",
        {
            "generatorOptions": {"disableNameSuffixHash": True},
            "configMapGenerator": [{"name": "x", "files": ["../secret.txt"]}],
        },
    )
    (tmp_path / "secret.txt").write_text("nope")
    with pytest.raises(KustomizeError, match="only below"):
        render(outside)
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "web.yaml").write_text(yaml.safe_dump(DEPLOYMENT))
    nothing = write_kustomization(
        tmp_path / "c",
        {"resources": ["web.yaml"], "patches": [{"target": {"kind": "Job"}, "patch": "[]"}]},
    )
    with pytest.raises(KustomizeError, match="matches nothing"):
        render(nothing)


def test_strict_schema_validation_catches_a_misplaced_field() -> None:
    """The check the manifests pass does fail on a typo (here a field one level too high)."""
    kubernetes_validate.validate(DEPLOYMENT, "1.33.0", strict=True)
    broken = apply_json_patch(
        DEPLOYMENT,
        [{"op": "add", "path": "/spec/template/spec/readOnlyRootFilesystem", "value": True}],
    )
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, "1.33.0", strict=True)
