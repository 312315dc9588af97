"""The field reference of a format, as Markdown, made from its JSON Schema (so from the one declaration)."""

from __future__ import annotations

from typing import Any

from factsheet.sources.schema import PARTIAL_DATE

HEADER = (
    "<!-- Made by 'factsheet schema --markdown' from the format's declaration; "
    "a test fails when it differs. -->"
)


def _kind(node: dict[str, Any]) -> str:
    """Return what a value of ``node`` is, in a reader's words."""
    if "enum" in node:
        return "one of " + ", ".join(f"`{v}`" for v in node["enum"])
    if "anyOf" in node and "type" not in node:
        if any(choice.get("pattern") == PARTIAL_DATE for choice in node["anyOf"]):
            return "date: YYYY, YYYY-MM or YYYY-MM-DD"
        return " or ".join(_kind(choice) for choice in node["anyOf"])
    kind = node.get("type")
    if kind == "array":
        return f"list of {_kind(node.get('items', {}))}"
    return {
        "string": "text",
        "integer": "whole number",
        "number": "number",
        "boolean": "`true` or `false`",
        "object": "mapping",
        "null": "`null`",
    }.get(str(kind), "value")


def _rows(node: dict[str, Any], path: str, required: bool) -> list[tuple[str, str, str, str]]:
    """Return (field, what it holds, required, description) for ``node`` and every field below it."""
    rows = []
    if path:
        text = " ".join(str(node.get("description", "")).split())
        rows.append((path, _kind(node), "yes" if required else "", text))
    items = node.get("items") if node.get("type") == "array" else None
    target = items if isinstance(items, dict) else node
    prefix = f"{path}[]." if items is not None else (f"{path}." if path else "")
    needed = set(target.get("required", ()))
    for key, child in target.get("properties", {}).items():
        rows += _rows(child, f"{prefix}{key}", key in needed)
    return rows


def reference(schema: dict[str, Any], title: str) -> str:
    """Return the Markdown field reference of ``schema``: one row per field, nested fields by path."""
    out = [HEADER, "", f"# {title}", ""]
    out += [
        "Every field, by its path: `claims[].figures[].value` is the `value` of each figure of each claim. "
        "Fields not marked required may be left out.",
        "",
        "| field | holds | required | what it is |",
        "| --- | --- | --- | --- |",
    ]
    for field, kind, required, text in _rows(schema, "", True):
        cell = text.replace("|", "\\|")
        out.append(f"| `{field}` | {kind} | {required} | {cell} |")
    return "\n".join(out) + "\n"
