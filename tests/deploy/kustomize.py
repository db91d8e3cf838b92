"""The subset of kustomize our deploy/k8s uses, rendered in Python (the kustomize binary is not
on every machine; where ``kubectl kustomize`` exists, tests/deploy/k8s compares both).

Supported: ``resources`` (files and directories), ``namespace``, ``images`` (newName, newTag,
digest), ``patches`` with a ``target`` (kind, name) and an inline JSON 6902 ``patch``, and
``configMapGenerator`` with ``files`` under ``generatorOptions.disableNameSuffixHash`` (and its
``labels``). Anything else is refused, so the renderer never silently diverges from kustomize.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

__all__ = ["KustomizeError", "apply_json_patch", "render"]

Resource = dict[str, Any]

_FIELDS = frozenset(
    {
        "apiVersion",
        "kind",
        "resources",
        "namespace",
        "images",
        "patches",
        "configMapGenerator",
        "generatorOptions",
    }
)
# Kinds without a namespace among those we use (kustomize leaves them alone).
_CLUSTER_SCOPED = frozenset({"Namespace", "ClusterRole", "ClusterRoleBinding", "StorageClass"})


class KustomizeError(ValueError):
    """A kustomization this renderer does not understand, or a patch that does not apply."""


def render(directory: Path) -> list[Resource]:
    """Every resource of the kustomization in ``directory``, transformed as kustomize would."""
    kustomization = _load_kustomization(directory)
    resources: list[Resource] = []
    for entry in kustomization.get("resources", []):
        path = directory / entry
        if path.is_dir():
            resources += render(path)
        else:
            resources += [doc for doc in yaml.safe_load_all(path.read_text("utf-8")) if doc]
    resources += _generated_config_maps(directory, kustomization)
    for patch in kustomization.get("patches", []):
        _apply_patch(resources, patch)
    for image in kustomization.get("images", []):
        for resource in resources:
            _set_image(resource, image)
    namespace = kustomization.get("namespace")
    if namespace:
        for resource in resources:
            if resource["kind"] not in _CLUSTER_SCOPED:
                resource.setdefault("metadata", {})["namespace"] = namespace
    _refuse_duplicates(resources)
    return resources


def _load_kustomization(directory: Path) -> dict[str, Any]:
    path = directory / "kustomization.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    unknown = set(data) - _FIELDS
    if unknown:
        raise KustomizeError(f"{path}: fields this renderer does not support: {sorted(unknown)}")
    return data


def _generated_config_maps(directory: Path, kustomization: dict[str, Any]) -> list[Resource]:
    generators = kustomization.get("configMapGenerator", [])
    options = kustomization.get("generatorOptions", {})
    if generators and not options.get("disableNameSuffixHash"):
        raise KustomizeError(f"{directory}: name suffix hashes are not supported")
    maps: list[Resource] = []
    for generator in generators:
        if set(generator) - {"name", "files"}:
            raise KustomizeError(f"{directory}: unsupported generator {generator}")
        data = {}
        for entry in generator["files"]:
            key, _, source = entry.rpartition("=") if "=" in entry else ("", "", entry)
            path = (directory / source).resolve()
            if not path.is_relative_to(directory.resolve()):
                raise KustomizeError(f"{entry}: kustomize loads files only below {directory}")
            data[key or Path(source).name] = path.read_text("utf-8")
        metadata: dict[str, Any] = {"name": generator["name"]}
        if options.get("labels"):
            metadata["labels"] = dict(options["labels"])
        maps.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": data})
    return maps


def _matches(resource: Resource, target: dict[str, str]) -> bool:
    if set(target) - {"kind", "name"}:
        raise KustomizeError(f"unsupported patch target {target}")
    return all(
        (resource["kind"] if key == "kind" else resource["metadata"]["name"]) == value
        for key, value in target.items()
    )


def _apply_patch(resources: list[Resource], patch: dict[str, Any]) -> None:
    if set(patch) != {"target", "patch"}:
        raise KustomizeError(f"only inline JSON 6902 patches with a target: {patch}")
    operations = yaml.safe_load(patch["patch"])
    matched = [r for r in resources if _matches(r, patch["target"])]
    if not matched:
        raise KustomizeError(f"patch target matches nothing: {patch['target']}")
    for index, resource in enumerate(resources):
        if resource in matched:
            resources[index] = apply_json_patch(resource, operations)


def _pointer(path: str) -> list[str]:
    if not path.startswith("/"):
        raise KustomizeError(f"not a JSON pointer: {path}")
    return [part.replace("~1", "/").replace("~0", "~") for part in path[1:].split("/")]


def apply_json_patch(document: Resource, operations: list[dict[str, Any]]) -> Resource:
    """RFC 6902 ``add``, ``replace`` and ``remove`` (what our overlays use)."""
    result = copy.deepcopy(document)
    for operation in operations:
        op, parts = operation["op"], _pointer(operation["path"])
        parent: Any = result
        for part in parts[:-1]:
            parent = parent[int(part)] if isinstance(parent, list) else parent[part]
        last = parts[-1]
        if op not in {"add", "replace", "remove"}:
            raise KustomizeError(f"unsupported operation {op}")
        if isinstance(parent, list):
            index = len(parent) if last == "-" else int(last)
            if op == "add":
                parent.insert(index, copy.deepcopy(operation["value"]))
            elif index >= len(parent):
                raise KustomizeError(f"{operation['path']} does not exist")
            elif op == "replace":
                parent[index] = copy.deepcopy(operation["value"])
            else:
                del parent[index]
        elif op == "add":
            parent[last] = copy.deepcopy(operation["value"])
        elif last not in parent:
            raise KustomizeError(f"{operation['path']} does not exist")
        elif op == "replace":
            parent[last] = copy.deepcopy(operation["value"])
        else:
            del parent[last]
    return result


def _pod_spec(resource: Resource) -> dict[str, Any] | None:
    if resource["kind"] in {"Deployment", "StatefulSet", "DaemonSet", "Job"}:
        spec: dict[str, Any] = resource["spec"]["template"]["spec"]
        return spec
    return None


def _set_image(resource: Resource, image: dict[str, str]) -> None:
    spec = _pod_spec(resource)
    if spec is None:
        return
    for container in [*spec.get("initContainers", []), *spec.get("containers", [])]:
        name = container["image"].split("@")[0].rsplit(":", 1)[0]
        if name != image["name"]:
            continue
        reference = image.get("newName", name)
        if "digest" in image:
            reference += f"@{image['digest']}"
        elif "newTag" in image:
            reference += f":{image['newTag']}"
        container["image"] = reference


def _refuse_duplicates(resources: list[Resource]) -> None:
    seen: set[tuple[str, str]] = set()
    for resource in resources:
        key = (resource["kind"], resource["metadata"]["name"])
        if key in seen:
            raise KustomizeError(f"two resources {key}")
        seen.add(key)
