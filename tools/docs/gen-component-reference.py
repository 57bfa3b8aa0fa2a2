#!/usr/bin/env python3
"""Regenerates the option and header tables of docs/component.md from the component JSON that
camel-component-maven-plugin writes (build the component first: mvn -pl camel-llm-component process-classes).
Everything outside the generated markers is left as written. ComponentDocsTest fails when the tables are stale."""
import json
import pathlib
import re

root = pathlib.Path(__file__).resolve().parents[2]
spec = json.loads((root / "camel-llm-component/src/generated/resources/META-INF/dev/camelllm/component/llm.json").read_text())
doc_path = root / "docs/component.md"


def cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def options_table(props, skip=()):
    rows = ["| option | type | default | description |", "| --- | --- | --- | --- |"]
    groups = {}
    for name, p in props.items():
        if name in skip:
            continue
        groups.setdefault(p.get("label", "common") or "common", []).append((name, p))
    order = ["common", "security", "timeouts", "resilience", "local", "openai-compatible", "anthropic", "advanced"]
    for label in sorted(groups, key=lambda l: (order.index(l) if l in order else len(order), l)):
        for name, p in sorted(groups[label]):
            default = p.get("defaultValue", "")
            default = json.dumps(default) if isinstance(default, bool) else default
            desc = p.get("description", "")
            if p.get("secret"):
                desc += " (secret)"
            if p.get("enum"):
                desc += " One of: " + ", ".join(p["enum"]) + "."
            rows.append(f"| `{name}` | {cell(p.get('type', ''))} | {cell(default)} | {cell(desc)} *({label})* |")
    return "\n".join(rows)


def headers_table(headers):
    rows = ["| header | type | description |", "| --- | --- | --- |"]
    for name, h in headers.items():
        rows.append(f"| `{name}` | {cell(h.get('javaType', ''))} | {cell(h.get('description', ''))} |")
    return "\n".join(rows)


def replace(text, marker, body):
    pattern = re.compile(rf"(<!-- {marker}:start -->\n)(?:.*?\n)?(<!-- {marker}:end -->)", re.S)
    if not pattern.search(text):
        raise SystemExit(f"marker {marker} missing in {doc_path}")
    return pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text)


text = doc_path.read_text()
text = replace(text, "endpoint-options", options_table(spec["properties"], skip=("name", "lazyStartProducer")))
text = replace(text, "component-only-options", options_table(
    {k: v for k, v in spec["componentProperties"].items() if k not in spec["properties"]},
    skip=("autowiredEnabled", "configuration")))
text = replace(text, "headers", headers_table(spec["headers"]))
doc_path.write_text(text)
print(f"updated {doc_path.relative_to(root)}: {len(spec['properties'])} options, {len(spec['headers'])} headers")
