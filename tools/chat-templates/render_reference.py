#!/usr/bin/python3
"""Reference renderings of real Hugging Face chat templates, for the Jinjava tests.

Renders every template under camel-llm-component/src/test/resources/onnx/templates/
with the same Jinja environment as transformers' apply_chat_template
(ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, loopcontrols, a
json.dumps-based tojson, raise_exception) over a fixed set of conversations, and
writes expected-renderings.json next to them. Needs only Debian's python3-jinja2.

    /usr/bin/python3 tools/chat-templates/render_reference.py
"""
import json
import os

import jinja2
import jinja2.ext
import jinja2.sandbox

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DIR = os.path.join(REPO, "camel-llm-component", "src", "test", "resources", "onnx", "templates")

SPECIAL = {
    "qwen3": {"bos_token": None, "eos_token": "<|im_end|>"},
    "qwen2_5": {"bos_token": None, "eos_token": "<|im_end|>"},
    "llama3": {"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>"},
    "llama3_2": {"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>", "date_string": "26 Jul 2024"},
}

WEATHER = {"type": "function", "function": {
    "name": "get_weather", "description": "Get the current weather in a city",
    "parameters": {"type": "object",
                   "properties": {"city": {"type": "string", "description": "The city name"}},
                   "required": ["city"]}}}

CONVERSATIONS = [
    {"name": "hello", "messages": [{"role": "user", "content": "Hello"}]},
    {"name": "system", "messages": [{"role": "system", "content": "You are terse."},
                                    {"role": "user", "content": "Say \"café\" ☕"}]},
    {"name": "multi_turn", "messages": [{"role": "user", "content": "Hi"},
                                        {"role": "assistant", "content": "Hello! How can I help?"},
                                        {"role": "user", "content": "Bye"}]},
    {"name": "tools", "tools": [WEATHER], "messages": [{"role": "user", "content": "Weather in Paris?"}]},
    {"name": "tool_result", "tools": [WEATHER], "messages": [
        {"role": "user", "content": "Weather in Paris?"},
        {"role": "assistant", "content": "", "tool_calls": [{"id": "call_0", "type": "function", "function": {
            "name": "get_weather", "arguments": {"city": "Paris", "note": "olé ☕"}}}]},
        {"role": "tool", "tool_call_id": "call_0", "content": "18°C and sunny"}]},
    {"name": "no_thinking", "enable_thinking": False, "messages": [{"role": "user", "content": "Hello"}]},
    {"name": "thinking_history", "enable_thinking": True, "messages": [
        {"role": "user", "content": "2+2?"},
        {"role": "assistant", "content": "<think>\nAdd them.\n</think>\n\n4"},
        {"role": "user", "content": "3+3?"}]},
]


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def environment():
    env = jinja2.sandbox.ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                                       extensions=[jinja2.ext.loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    return env


def main():
    env = environment()
    out = []
    for name in sorted(SPECIAL):
        with open(os.path.join(DIR, name + ".jinja"), encoding="utf-8") as f:
            template = env.from_string(f.read())
        for conv in CONVERSATIONS:
            kwargs = dict(SPECIAL[name])
            kwargs.update(messages=conv["messages"], tools=conv.get("tools"), add_generation_prompt=True)
            if "enable_thinking" in conv:
                kwargs["enable_thinking"] = conv["enable_thinking"]
            try:
                rendered, error = template.render(**kwargs), None
            except jinja2.exceptions.TemplateError as e:
                rendered, error = None, str(e)
            out.append({"template": name, "conversation": conv["name"], "rendered": rendered, "error": error})
    with open(os.path.join(DIR, "expected-renderings.json"), "w", encoding="utf-8") as f:
        json.dump({"conversations": CONVERSATIONS, "renderings": out}, f, ensure_ascii=False, indent=2)
        f.write("\n")
    print("wrote", len(out), "renderings")


if __name__ == "__main__":
    main()
