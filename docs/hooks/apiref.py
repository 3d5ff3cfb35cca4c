"""The API reference pages, written from each service's openapi.yaml at build time.

The services serve the same documents at /api/<service>/openapi.json, so the reference and the running
code describe one contract.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

METHODS = ("get", "post", "put", "patch", "delete")


def _resolve(document: dict[str, Any], node: Any) -> Any:
    """Follow one local `$ref` (#/components/...) so a response shows its description."""
    if isinstance(node, dict) and "$ref" in node:
        target: Any = document
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        return target
    return node


def table_cell(text: object) -> str:
    """`text` as one cell of a Markdown table: its pipes escaped, on one line."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _parameters(document: dict[str, Any], operation: dict[str, Any]) -> list[str]:
    params = [_resolve(document, p) for p in operation.get("parameters", [])]
    if not params:
        return []
    lines = ["| Parameter | In | Required | Schema | Description |", "| --- | --- | --- | --- | --- |"]
    for p in params:
        schema = ", ".join(f"{k}: {v}" for k, v in p.get("schema", {}).items())
        lines.append(
            f"| `{p['name']}` | {p['in']} | {'yes' if p.get('required') else 'no'} | {table_cell(schema)} "
            f"| {table_cell(p.get('description', ''))} |"
        )
    return [*lines, ""]


def _request_body(document: dict[str, Any], operation: dict[str, Any]) -> list[str]:
    body = _resolve(document, operation.get("requestBody"))
    if not body:
        return []
    lines = ["Request body:", ""]
    for media, content in body.get("content", {}).items():
        schema = yaml.safe_dump(content.get("schema", {}), sort_keys=False, width=100).rstrip()
        lines += [f'```yaml title="{media}"', schema, "```", ""]
    return lines


def _security(document: dict[str, Any], operation: dict[str, Any]) -> list[str]:
    """Which headers the operation needs: its own `security`, else the document's (an empty list: none)."""
    requirements = operation.get("security", document.get("security", []))
    schemes = document.get("components", {}).get("securitySchemes", {})
    headers = [
        f"`{schemes[name]['name']}`"
        for requirement in requirements
        for name in requirement
        if schemes.get(name, {}).get("in") == "header"
    ]
    return [f"Needs the header {' or '.join(headers)} (the session id from login).", ""] if headers else []


def _responses(document: dict[str, Any], operation: dict[str, Any]) -> list[str]:
    lines = ["| Status | Meaning |", "| --- | --- |"]
    for status, response in operation.get("responses", {}).items():
        lines.append(f"| {status} | {table_cell(_resolve(document, response).get('description', ''))} |")
    return [*lines, ""]


def service_page(service: str, document: dict[str, Any]) -> str:
    """One service's reference page in Markdown."""
    info = document.get("info", {})
    lines = [
        f"# {service} API",
        "",
        f"{info.get('description', '')}",
        "",
        f"Version {info.get('version', '?')}. The running service serves this document at "
        f'`/api/{service}/openapi.json`; every error is JSON `{{"error": "..."}}`.',
        "",
        f"*Generated from `services/{service}/openapi.yaml` when the site is built.*",
        "",
    ]
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            if method not in item:
                continue
            operation = item[method]
            lines += [f"## `{method.upper()} {path}`", "", operation.get("summary", ""), ""]
            lines += _security(document, operation)
            lines += _parameters(document, operation)
            lines += _request_body(document, operation)
            lines += _responses(document, operation)
    return "\n".join(lines)


def service_documents(services_dir: Path) -> dict[str, dict[str, Any]]:
    """Every service's parsed openapi.yaml, by service name."""
    return {path.parent.name: yaml.safe_load(path.read_text()) for path in sorted(services_dir.glob("*/openapi.yaml"))}
