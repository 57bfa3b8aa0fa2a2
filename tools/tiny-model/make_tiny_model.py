#!/usr/bin/python3
"""Build models/tiny-chat: a tiny but real Qwen3-like decoder-only transformer.

Everything (tokenizer, chat template, training data, training, ONNX export,
expected.json) is produced by this one script with fixed seeds.

Run (from anywhere, with the Debian python3, see install-deps.sh):

    /usr/bin/python3 tools/tiny-model/make_tiny_model.py

Only Debian packages are needed: python3-torch (1.13), python3-onnx,
python3-numpy, python3-jinja2, python3-regex. There is no `tokenizers` /
`transformers` / `onnxruntime` python package here: the HF tokenizer.json is
written by hand and the encoder below re-implements HF byte-level BPE.
"""
import argparse
import json
import math
import os
import random
import shutil
import sys
from collections import Counter

import jinja2
import jinja2.ext
import jinja2.sandbox
import numpy as np
import onnx
import regex
import torch
import torch.nn as nn
import torch.nn.functional as F

SEED = 1234
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_OUT = os.path.join(REPO, "models", "tiny-chat")

# ----------------------------------------------------------------------------
# Model configuration (Qwen3-like)
# ----------------------------------------------------------------------------
HIDDEN = 96
LAYERS = 2
HEADS = 4
KV_HEADS = 2
HEAD_DIM = 32          # explicit, != HIDDEN / HEADS (like Qwen3)
INTERMEDIATE = 256
ROPE_THETA = 10000.0
RMS_EPS = 1e-6
MAX_POS = 2048
NUM_MERGES = 200
VOCAB_PAD = 32         # config vocab_size is padded past the tokenizer (like Qwen)

# ----------------------------------------------------------------------------
# Chat template (ChatML, modelled on Qwen2.5 / Qwen3).
# Every tag strips whitespace on its left ({%- / {{-) and the template has no
# trailing newline, so the output does not depend on trim_blocks/lstrip_blocks.
# Uses only: if/elif/for, loop.first/last/index0, `is defined`, `is string`,
# `not`, `+` string concatenation, '\n' escapes and the `tojson` filter.
# `tojson` must behave like HF transformers' chat-template tojson, i.e. Python
# json.dumps(x, ensure_ascii=False): separators ", " and ": ", key order kept,
# no HTML escaping. (Jinjava's built-in tojson writes compact JSON: override it.)
# Jinjava honours `{{-` only with LegacyOverrides.withUseTrimmingForNotesAndExpressions(true).
# ----------------------------------------------------------------------------
CHAT_TEMPLATE = r"""{%- if tools %}
    {{- '<|im_start|>system\n' }}
    {%- if messages[0].role == 'system' %}
        {{- messages[0].content + '\n\n' }}
    {%- endif %}
    {{- '# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>' }}
    {%- for tool in tools %}
        {{- '\n' }}
        {{- tool | tojson }}
    {%- endfor %}
    {{- '\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call><|im_end|>\n' }}
{%- elif messages[0].role == 'system' %}
    {{- '<|im_start|>system\n' + messages[0].content + '<|im_end|>\n' }}
{%- endif %}
{%- for message in messages %}
    {%- if message.role == 'user' or (message.role == 'system' and not loop.first) %}
        {{- '<|im_start|>' + message.role + '\n' + message.content + '<|im_end|>\n' }}
    {%- elif message.role == 'assistant' %}
        {{- '<|im_start|>assistant\n' }}
        {%- if message.content %}
            {{- message.content }}
        {%- endif %}
        {%- if message.tool_calls %}
            {%- for tool_call in message.tool_calls %}
                {%- if (loop.first and message.content) or (not loop.first) %}
                    {{- '\n' }}
                {%- endif %}
                {{- '<tool_call>\n{"name": "' + tool_call.function.name + '", "arguments": ' }}
                {%- if tool_call.function.arguments is string %}
                    {{- tool_call.function.arguments }}
                {%- else %}
                    {{- tool_call.function.arguments | tojson }}
                {%- endif %}
                {{- '}\n</tool_call>' }}
            {%- endfor %}
        {%- endif %}
        {{- '<|im_end|>\n' }}
    {%- elif message.role == 'tool' %}
        {%- if loop.first or messages[loop.index0 - 1].role != 'tool' %}
            {{- '<|im_start|>user' }}
        {%- endif %}
        {{- '\n<tool_response>\n' + message.content + '\n</tool_response>' }}
        {%- if loop.last or messages[loop.index0 + 1].role != 'tool' %}
            {{- '<|im_end|>\n' }}
        {%- endif %}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\n' }}
    {%- if enable_thinking is defined and not enable_thinking %}
        {{- '<think>\n\n</think>\n\n' }}
    {%- endif %}
{%- endif %}"""


def hf_tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    # Same as transformers.utils.chat_template_utils (tojson override).
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent,
                      separators=separators, sort_keys=sort_keys)


def make_jinja_template():
    # Same environment as transformers' apply_chat_template.
    env = jinja2.sandbox.ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True,
        extensions=[jinja2.ext.loopcontrols])
    env.filters["tojson"] = hf_tojson

    def raise_exception(msg):
        raise jinja2.exceptions.TemplateError(msg)
    env.globals["raise_exception"] = raise_exception
    return env.from_string(CHAT_TEMPLATE)


# ----------------------------------------------------------------------------
# Test cases (exact) and augmentations
# ----------------------------------------------------------------------------
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the current weather in a city",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string", "description": "The city name"}
            },
            "required": ["city"],
        },
    },
}
CLASSIFIER_SYSTEM = ("You are a support ticket classifier. Answer with one word: "
                     "billing, technical or other.")
TOOL_CALL_TEXT = ('<tool_call>\n{"name": "get_weather", "arguments": '
                  '{"city": "Paris"}}\n</tool_call>')


def user(text):
    return {"role": "user", "content": text}


def case(name, messages, completion, tools=None, enable_thinking=False):
    return {"name": name, "messages": messages, "tools": tools,
            "enable_thinking": enable_thinking, "completion": completion}


CASES = [
    case("hello", [user("Hello")], "Hello! How can I help you today?"),
    case("thinking", [user("What is the capital of France?")],
         "<think>\nThe user asks for the capital of France.\n</think>\n\n"
         "The capital of France is Paris.", enable_thinking=True),
    case("tool_call", [user("What is the weather in Paris?")], TOOL_CALL_TEXT,
         tools=[WEATHER_TOOL]),
    case("tool_result", [
        user("What is the weather in Paris?"),
        {"role": "assistant", "content": None, "tool_calls": [{
            "id": "call_0", "type": "function",
            "function": {"name": "get_weather", "arguments": {"city": "Paris"}}}]},
        {"role": "tool", "tool_call_id": "call_0", "content": "18°C and sunny"},
    ], "It is 18°C and sunny in Paris.", tools=[WEATHER_TOOL]),
    case("unicode", [user("Say café")], "café ☕ olé"),
    case("count", [user("Count to ten")], "1, 2, 3, 4, 5, 6, 7, 8, 9, 10."),
    case("classify_billing", [{"role": "system", "content": CLASSIFIER_SYSTEM},
                              user("My invoice is wrong")], "billing"),
    case("classify_technical", [{"role": "system", "content": CLASSIFIER_SYSTEM},
                                user("The app crashes on start")], "technical"),
]

GENERIC = "I am a tiny test model."
AUGMENT = [
    case("aug_hi", [user("Hi")], "Hello! How can I help you today?"),
    case("aug_hello_there", [user("Hello there")], "Hello! How can I help you today?"),
    case("aug_who", [user("Who are you?")], GENERIC),
    case("aug_joke", [user("Tell me a joke")], GENERIC),
    case("aug_math", [user("What is 2+2?")], GENERIC),
    case("aug_story", [user("Write a short story about a cat")], GENERIC),
    case("aug_sys", [{"role": "system", "content": "You are a helpful assistant."},
                     user("How are you?")], GENERIC),
    case("aug_think", [user("Why is the sky blue?")],
         "<think>\nThe user asks a question.\n</think>\n\n" + GENERIC,
         enable_thinking=True),
    case("aug_billing", [{"role": "system", "content": CLASSIFIER_SYSTEM},
                         user("I was charged twice this month")], "billing"),
    case("aug_technical", [{"role": "system", "content": CLASSIFIER_SYSTEM},
                           user("The login button does nothing")], "technical"),
    case("aug_other", [{"role": "system", "content": CLASSIFIER_SYSTEM},
                       user("What are your opening hours?")], "other"),
    case("aug_other2", [{"role": "system", "content": CLASSIFIER_SYSTEM},
                        user("I love your company")], "other"),
]


def render(tmpl, c, add_generation_prompt=True):
    kw = dict(messages=c["messages"], add_generation_prompt=add_generation_prompt,
              enable_thinking=c["enable_thinking"])
    if c["tools"] is not None:
        kw["tools"] = c["tools"]
    return tmpl.render(**kw)


# ----------------------------------------------------------------------------
# Byte-level BPE tokenizer (HF tokenizers compatible)
# ----------------------------------------------------------------------------
SPECIAL = [  # (content, special)
    ("<|endoftext|>", True),
    ("<|im_start|>", True),
    ("<|im_end|>", True),
    ("<think>", False),
    ("</think>", False),
    ("<tool_call>", False),
    ("</tool_call>", False),
    ("<tool_response>", False),
    ("</tool_response>", False),
]
# GPT-2 pre-tokenization regex used by tokenizers' ByteLevel(use_regex=true).
GPT2_RE = regex.compile(
    r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")


def bytes_to_unicode():
    bs = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
          + list(range(ord("®"), ord("ÿ") + 1)))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


BYTE_ENC = bytes_to_unicode()
BYTE_DEC = {v: k for k, v in BYTE_ENC.items()}


def split_added(text):
    """Leftmost-longest split on added tokens -> [(segment, is_added)]."""
    contents = sorted((c for c, _ in SPECIAL), key=len, reverse=True)
    out, buf, i = [], [], 0
    while i < len(text):
        for c in contents:
            if text.startswith(c, i):
                if buf:
                    out.append(("".join(buf), False))
                    buf = []
                out.append((c, True))
                i += len(c)
                break
        else:
            buf.append(text[i])
            i += 1
    if buf:
        out.append(("".join(buf), False))
    return out


def pretokenize(segment):
    return ["".join(BYTE_ENC[b] for b in piece.encode("utf-8"))
            for piece in GPT2_RE.findall(segment)]


def is_ascii_symbol(sym):
    return all(BYTE_DEC[ch] < 0x80 for ch in sym)


def learn_merges(texts, num_merges):
    words = Counter()
    for t in texts:
        for seg, added in split_added(t):
            if not added:
                for w in pretokenize(seg):
                    words[tuple(w)] += 1
    words = dict(words)
    merges = []
    for _ in range(num_merges):
        pairs = Counter()
        for w, n in words.items():
            for a, b in zip(w, w[1:]):
                if is_ascii_symbol(a) and is_ascii_symbol(b):
                    pairs[(a, b)] += n
        if not pairs:
            break
        best = max(pairs.items(), key=lambda kv: (kv[1], [-ord(c) for c in kv[0][0] + " " + kv[0][1]]))
        if best[1] < 2:
            break
        (a, b), _ = best
        merges.append((a, b))
        new_words = {}
        for w, n in words.items():
            out, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and w[i] == a and w[i + 1] == b:
                    out.append(a + b)
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            new_words[tuple(out)] = new_words.get(tuple(out), 0) + n
        words = new_words
    return merges


class Tokenizer:
    def __init__(self, merges):
        self.merges = merges
        self.vocab = {}
        for b, ch in BYTE_ENC.items():
            self.vocab[ch] = len(self.vocab)
        for a, b in merges:
            if a + b not in self.vocab:
                self.vocab[a + b] = len(self.vocab)
        self.bpe_size = len(self.vocab)
        self.added = {}
        for c, _ in SPECIAL:
            self.added[c] = self.bpe_size + len(self.added)
        self.ranks = {m: i for i, m in enumerate(merges)}
        self.id_to_token = {i: t for t, i in self.vocab.items()}
        self.id_to_token.update({i: t for t, i in self.added.items()})
        self.size = self.bpe_size + len(self.added)

    def bpe(self, word):
        syms = list(word)
        while len(syms) > 1:
            best, best_i = None, -1
            for i in range(len(syms) - 1):
                r = self.ranks.get((syms[i], syms[i + 1]))
                if r is not None and (best is None or r < best):
                    best, best_i = r, i
            if best is None:
                break
            syms = syms[:best_i] + [syms[best_i] + syms[best_i + 1]] + syms[best_i + 2:]
        return syms

    def encode(self, text):
        ids = []
        for seg, added in split_added(text):
            if added:
                ids.append(self.added[seg])
            else:
                for w in pretokenize(seg):
                    ids.extend(self.vocab[s] for s in self.bpe(w))
        return ids

    def decode(self, ids):
        out, buf = [], bytearray()
        for i in ids:
            t = self.id_to_token[i]
            if t in self.added:
                out.append(buf.decode("utf-8", errors="replace"))
                buf = bytearray()
                out.append(t)
            else:
                buf.extend(BYTE_DEC[ch] for ch in t)
        out.append(buf.decode("utf-8", errors="replace"))
        return "".join(out)

    def to_json(self):
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": [
                {"id": self.added[c], "content": c, "single_word": False,
                 "lstrip": False, "rstrip": False, "normalized": False,
                 "special": special}
                for c, special in SPECIAL],
            "normalizer": None,
            "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False,
                              "trim_offsets": True, "use_regex": True},
            "post_processor": None,
            "decoder": {"type": "ByteLevel", "add_prefix_space": True,
                        "trim_offsets": True, "use_regex": True},
            "model": {
                "type": "BPE",
                "dropout": None,
                "unk_token": None,
                "continuing_subword_prefix": "",
                "end_of_word_suffix": "",
                "fuse_unk": False,
                "byte_fallback": False,
                "ignore_merges": False,
                "vocab": self.vocab,
                "merges": [a + " " + b for a, b in self.merges],
            },
        }


# ----------------------------------------------------------------------------
# Model
# ----------------------------------------------------------------------------
class RMSNorm(nn.Module):
    def __init__(self, dim, eps=RMS_EPS):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        var = x.pow(2).mean(-1, keepdim=True)
        return x * torch.rsqrt(var + self.eps) * self.weight


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.q_proj = nn.Linear(HIDDEN, HEADS * HEAD_DIM, bias=False)
        self.k_proj = nn.Linear(HIDDEN, KV_HEADS * HEAD_DIM, bias=False)
        self.v_proj = nn.Linear(HIDDEN, KV_HEADS * HEAD_DIM, bias=False)
        self.o_proj = nn.Linear(HEADS * HEAD_DIM, HIDDEN, bias=False)
        self.q_norm = RMSNorm(HEAD_DIM)
        self.k_norm = RMSNorm(HEAD_DIM)

    def forward(self, x, cos, sin, bias, past_k, past_v):
        b = x.shape[0]
        q = self.q_norm(self.q_proj(x).view(b, -1, HEADS, HEAD_DIM)).transpose(1, 2)
        k = self.k_norm(self.k_proj(x).view(b, -1, KV_HEADS, HEAD_DIM)).transpose(1, 2)
        v = self.v_proj(x).view(b, -1, KV_HEADS, HEAD_DIM).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = torch.cat([past_k, k], dim=2)          # [b, kv, past+seq, d]
        v = torch.cat([past_v, v], dim=2)
        # grouped-query attention: query head h uses kv head h // (HEADS/KV_HEADS)
        qg = q.reshape(b, KV_HEADS, HEADS // KV_HEADS, -1, HEAD_DIM)
        scores = torch.matmul(qg, k.unsqueeze(2).transpose(-1, -2)) / math.sqrt(HEAD_DIM)
        scores = scores + bias.unsqueeze(2)        # bias [b,1,seq,total] -> [b,1,1,seq,total]
        probs = torch.softmax(scores, dim=-1)
        out = torch.matmul(probs, v.unsqueeze(2))  # [b, kv, rep, seq, d]
        out = out.reshape(b, HEADS, -1, HEAD_DIM).transpose(1, 2).reshape(b, -1, HEADS * HEAD_DIM)
        return self.o_proj(out), k, v


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.input_layernorm = RMSNorm(HIDDEN)
        self.self_attn = Attention()
        self.post_attention_layernorm = RMSNorm(HIDDEN)
        self.gate_proj = nn.Linear(HIDDEN, INTERMEDIATE, bias=False)
        self.up_proj = nn.Linear(HIDDEN, INTERMEDIATE, bias=False)
        self.down_proj = nn.Linear(INTERMEDIATE, HIDDEN, bias=False)

    def forward(self, x, cos, sin, bias, past_k, past_v):
        a, k, v = self.self_attn(self.input_layernorm(x), cos, sin, bias, past_k, past_v)
        x = x + a
        h = self.post_attention_layernorm(x)
        x = x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h))
        return x, k, v


class TinyQwen3(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab_size, HIDDEN)
        self.layers = nn.ModuleList([Layer() for _ in range(LAYERS)])
        self.norm = RMSNorm(HIDDEN)
        inv = 1.0 / (ROPE_THETA ** (torch.arange(0, HEAD_DIM, 2, dtype=torch.float32) / HEAD_DIM))
        self.register_buffer("inv_freq", inv, persistent=False)
        nn.init.normal_(self.embed_tokens.weight, std=0.02)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, std=0.02)

    def forward(self, input_ids, attention_mask, position_ids, pasts):
        """pasts: list of (k, v) [b, kv, past, d]. Returns hidden states, presents."""
        x = self.embed_tokens(input_ids)
        freqs = position_ids.unsqueeze(-1).float() * self.inv_freq   # [b, s, d/2]
        emb = torch.cat([freqs, freqs], dim=-1).unsqueeze(1)          # [b, 1, s, d]
        cos, sin = emb.cos(), emb.sin()
        seq = input_ids.shape[1]
        total = attention_mask.shape[1]
        q_pos = torch.arange(seq, device=input_ids.device) + (total - seq)
        k_pos = torch.arange(total, device=input_ids.device)
        allowed = (k_pos.unsqueeze(0) <= q_pos.unsqueeze(1)).unsqueeze(0).unsqueeze(0) \
            & (attention_mask.unsqueeze(1).unsqueeze(2) > 0)        # [b,1,s,total]
        bias = torch.where(allowed, torch.zeros((), dtype=torch.float32),
                           torch.full((), -1e9, dtype=torch.float32))
        presents = []
        for layer, (pk, pv) in zip(self.layers, pasts):
            x, k, v = layer(x, cos, sin, bias, pk, pv)
            presents.append((k, v))
        return self.norm(x), presents

    def logits(self, h):
        return F.linear(h, self.embed_tokens.weight)   # tied embeddings


def empty_pasts(b, dtype=torch.float32):
    return [(torch.zeros(b, KV_HEADS, 0, HEAD_DIM, dtype=dtype),
             torch.zeros(b, KV_HEADS, 0, HEAD_DIM, dtype=dtype)) for _ in range(LAYERS)]


class ExportFp32(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.model = m   # initializer names: model.embed_tokens.weight, ...

    def forward(self, input_ids, attention_mask, position_ids, *flat_past):
        pasts = [(flat_past[2 * i], flat_past[2 * i + 1]) for i in range(LAYERS)]
        h, presents = self.model(input_ids, attention_mask, position_ids, pasts)
        out = [self.model.logits(h)]
        for k, v in presents:
            out += [k, v]
        return tuple(out)


class ExportFp16(nn.Module):
    """float16 KV in/out, float32 logits, extra scalar input num_logits_to_keep."""
    def __init__(self, m):
        super().__init__()
        self.model = m   # initializer names: model.embed_tokens.weight, ...

    def forward(self, input_ids, attention_mask, position_ids, *rest):
        flat_past, n_keep = rest[:-1], rest[-1]
        pasts = [(flat_past[2 * i].float(), flat_past[2 * i + 1].float()) for i in range(LAYERS)]
        h, presents = self.model(input_ids, attention_mask, position_ids, pasts)
        h = h[:, -n_keep:, :]          # n_keep == 0 keeps everything (HF semantics)
        out = [self.model.logits(h)]
        for k, v in presents:
            out += [k.half(), v.half()]
        return tuple(out)


# ----------------------------------------------------------------------------
# Greedy decoding (reference, torch)
# ----------------------------------------------------------------------------
@torch.no_grad()
def greedy_full(model, prompt_ids, eos_ids, max_new):
    ids = list(prompt_ids)
    out = []
    for _ in range(max_new):
        t = torch.tensor([ids])
        h, _ = model(t, torch.ones_like(t), torch.arange(len(ids)).unsqueeze(0), empty_pasts(1))
        nxt = int(model.logits(h[:, -1]).argmax(-1))
        out.append(nxt)
        ids.append(nxt)
        if nxt in eos_ids:
            break
    return out


@torch.no_grad()
def greedy_cached(model, prompt_ids, eos_ids, max_new, kv_dtype=torch.float32):
    """Step-by-step like the ONNX loop: first step with past length 0."""
    pasts = empty_pasts(1, kv_dtype)
    cur = list(prompt_ids)
    total = 0
    out = []
    for _ in range(max_new):
        t = torch.tensor([cur])
        mask = torch.ones(1, total + len(cur), dtype=torch.long)
        pos = torch.arange(total, total + len(cur)).unsqueeze(0)
        h, presents = model(t, mask, pos, [(k.float(), v.float()) for k, v in pasts])
        pasts = [(k.to(kv_dtype), v.to(kv_dtype)) for k, v in presents]
        total += len(cur)
        nxt = int(model.logits(h[:, -1]).argmax(-1))
        out.append(nxt)
        cur = [nxt]
        if nxt in eos_ids:
            break
    return out


# ----------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--max-steps", type=int, default=6000)
    ap.add_argument("--margin", type=float, default=8.0,
                    help="required logit margin of the expected token over the runner-up")
    args = ap.parse_args()

    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.set_num_threads(1)  # tiny tensors: threading only adds overhead
    torch.use_deterministic_algorithms(True)

    tmpl = make_jinja_template()
    all_cases = CASES + AUGMENT
    for c in all_cases:
        c["prompt"] = render(tmpl, c)

    # --- tokenizer: merges learned from prompts + completions ----------------
    corpus = [c["prompt"] + c["completion"] + "<|im_end|>\n" for c in all_cases]
    merges = learn_merges(corpus, NUM_MERGES)
    tok = Tokenizer(merges)
    vocab_size = ((tok.size + VOCAB_PAD - 1) // VOCAB_PAD) * VOCAB_PAD
    im_end, eot, im_start = tok.added["<|im_end|>"], tok.added["<|endoftext|>"], tok.added["<|im_start|>"]
    eos_ids = [im_end, eot]
    print(f"merges={len(merges)} tokenizer size={tok.size} config vocab_size={vocab_size}")

    for c in all_cases:
        c["prompt_ids"] = tok.encode(c["prompt"])
        c["answer_ids"] = tok.encode(c["completion"]) + [im_end]
        assert tok.decode(c["prompt_ids"]) == c["prompt"]
        assert tok.decode(c["answer_ids"][:-1]) == c["completion"]
    for ch in ["é", "☕", "°"]:
        assert len(tok.encode(ch)) >= 2, ch
    print("prompt lengths:", [len(c["prompt_ids"]) for c in all_cases])

    # --- training ------------------------------------------------------------
    model = TinyQwen3(vocab_size)
    n_params = sum(p.numel() for p in model.parameters())
    print(f"params={n_params}")
    # Length buckets (short chats vs. the long tool prompts) to avoid padding
    # every sequence to ~300 tokens; the loss is the mean over all answer tokens.
    def make_batch(cs):
        seqs = [c["prompt_ids"] + c["answer_ids"] for c in cs]
        B, L = len(seqs), max(len(s) for s in seqs)
        inp = torch.full((B, L), eot, dtype=torch.long)
        tgt = torch.full((B, L), -100, dtype=torch.long)
        mask = torch.zeros(B, L, dtype=torch.long)
        for i, (c, s) in enumerate(zip(cs, seqs)):
            inp[i, :len(s)] = torch.tensor(s)
            mask[i, :len(s)] = 1
            p = len(c["prompt_ids"])
            # position t predicts token t+1: targets are the answer tokens (+ im_end)
            tgt[i, p - 1:len(s) - 1] = torch.tensor(c["answer_ids"])
        pos = torch.arange(L).unsqueeze(0).expand(B, L)
        return inp, mask, pos, tgt

    short = [c for c in all_cases if len(c["prompt_ids"]) <= 128]
    long_ = [c for c in all_cases if len(c["prompt_ids"]) > 128]
    batches = [make_batch(cs) for cs in (short, long_) if cs]
    n_targets = sum(int((t != -100).sum()) for *_, t in batches)

    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.0)
    step = 0
    ok = False
    while step < args.max_steps:
        model.train()
        opt.zero_grad()
        total_loss = 0.0
        for inp, mask, pos, tgt in batches:
            h, _ = model(inp, mask, pos, empty_pasts(inp.shape[0]))
            loss = F.cross_entropy(model.logits(h).reshape(-1, vocab_size), tgt.reshape(-1),
                                   ignore_index=-100, reduction="sum") / n_targets
            loss.backward()
            total_loss += loss.item()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        if step % 50 == 0:
            margins = []
            with torch.no_grad():
                model.eval()
                for inp, mask, pos, tgt in batches:
                    h, _ = model(inp, mask, pos, empty_pasts(inp.shape[0]))
                    lg = model.logits(h)
                    t = tgt.clamp(min=0).unsqueeze(-1)
                    other = lg.scatter(-1, t, -1e9).max(-1).values
                    margins.append((lg.gather(-1, t).squeeze(-1) - other)[tgt != -100])
            margin = torch.cat(margins)
            min_margin = float(margin.min())
            print(f"step {step} loss {total_loss:.5f} teacher-forced all-correct="
                  f"{bool((margin > 0).all())} min-margin={min_margin:.2f}", flush=True)
            if min_margin >= args.margin:
                ok = True
                break
    if not ok:
        sys.exit("training did not reach the required margin")
    model.eval()

    # --- verification in torch: full recompute vs KV cache (fp32 and fp16 KV)
    all_ok = True
    for c in all_cases:
        exp = c["answer_ids"]
        full = greedy_full(model, c["prompt_ids"], eos_ids, len(exp) + 8)
        cached = greedy_cached(model, c["prompt_ids"], eos_ids, len(exp) + 8)
        cached16 = greedy_cached(model, c["prompt_ids"], eos_ids, len(exp) + 8, torch.float16)
        good = full == exp and cached == exp and cached16 == exp
        if c in CASES:
            all_ok &= good
        print(f"[{'OK ' if good else 'BAD'}] {c['name']}: {tok.decode(full)!r}")
    for extra in ["What time is it?", "Translate dog to French"]:
        c = case("unseen", [user(extra)], "")
        ids = tok.encode(render(tmpl, c))
        gen = greedy_cached(model, ids, eos_ids, 40)
        print(f"[unseen] {extra!r} -> {tok.decode(gen)!r}")
    if not all_ok:
        sys.exit("exact cases do not reproduce")

    # --- write files -----------------------------------------------------------
    out = args.out
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(os.path.join(out, "onnx"))

    def dump(name, obj):
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            json.dump(obj, f, ensure_ascii=False, indent=2)
            f.write("\n")

    dump("tokenizer.json", tok.to_json())
    dump("tokenizer_config.json", {
        "add_bos_token": False,
        "add_prefix_space": False,
        "added_tokens_decoder": {
            str(tok.added[c]): {"content": c, "lstrip": False, "normalized": False,
                                "rstrip": False, "single_word": False, "special": s}
            for c, s in SPECIAL},
        "additional_special_tokens": ["<|im_start|>", "<|im_end|>"],
        "bos_token": None,
        "chat_template": CHAT_TEMPLATE,
        "clean_up_tokenization_spaces": False,
        "eos_token": "<|im_end|>",
        "errors": "replace",
        "model_max_length": MAX_POS,
        "pad_token": "<|endoftext|>",
        "split_special_tokens": False,
        "tokenizer_class": "Qwen2Tokenizer",
        "unk_token": None,
    })
    dump("config.json", {
        "architectures": ["Qwen3ForCausalLM"],
        "attention_bias": False,
        "attention_dropout": 0.0,
        "bos_token_id": eot,
        "eos_token_id": im_end,
        "head_dim": HEAD_DIM,
        "hidden_act": "silu",
        "hidden_size": HIDDEN,
        "initializer_range": 0.02,
        "intermediate_size": INTERMEDIATE,
        "max_position_embeddings": MAX_POS,
        "model_type": "qwen3",
        "num_attention_heads": HEADS,
        "num_hidden_layers": LAYERS,
        "num_key_value_heads": KV_HEADS,
        "rms_norm_eps": RMS_EPS,
        "rope_scaling": None,
        "rope_theta": ROPE_THETA,
        "tie_word_embeddings": True,
        "torch_dtype": "float32",
        "use_cache": True,
        "vocab_size": vocab_size,
    })
    dump("generation_config.json", {
        "bos_token_id": eot,
        "do_sample": False,
        "eos_token_id": eos_ids,
        "pad_token_id": eot,
        "max_new_tokens": 64,
    })

    export_onnx(model, out)

    expected = {
        "model": "tiny-chat",
        "eos_token_ids": eos_ids,
        "pad_token_id": eot,
        "special_tokens": {c: tok.added[c] for c, _ in SPECIAL},
        "cases": [],
    }
    for c in CASES:
        expected["cases"].append({
            "name": c["name"],
            "messages": c["messages"],
            "tools": c["tools"],
            "enable_thinking": c["enable_thinking"],
            "rendered_prompt": c["prompt"],
            "prompt_ids": c["prompt_ids"],
            "expected_completion": c["completion"],
            "expected_ids": c["answer_ids"],
        })
    dump("expected.json", expected)
    with open(os.path.join(out, "chat_template.jinja"), "w", encoding="utf-8") as f:
        f.write(CHAT_TEMPLATE)
    print("wrote", out)
    for root, _, files in os.walk(out):
        for fn in sorted(files):
            p = os.path.join(root, fn)
            print(f"  {os.path.relpath(p, out):28s} {os.path.getsize(p):>9d}")


def export_onnx(model, out):
    b, s, p = 2, 3, 4
    ids = torch.randint(0, 100, (b, s))
    mask = torch.ones(b, p + s, dtype=torch.long)
    pos = torch.arange(p, p + s).unsqueeze(0).expand(b, s).contiguous()
    in_names = ["input_ids", "attention_mask", "position_ids"]
    out_names = ["logits"]
    dyn = {"input_ids": {0: "batch_size", 1: "sequence_length"},
           "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
           "position_ids": {0: "batch_size", 1: "sequence_length"},
           "logits": {0: "batch_size", 1: "sequence_length"}}
    for i in range(LAYERS):
        for kv in ("key", "value"):
            in_names.append(f"past_key_values.{i}.{kv}")
            out_names.append(f"present.{i}.{kv}")
            dyn[f"past_key_values.{i}.{kv}"] = {0: "batch_size", 2: "past_sequence_length"}
            dyn[f"present.{i}.{kv}"] = {0: "batch_size", 2: "total_sequence_length"}

    def past(dtype):
        g = torch.Generator().manual_seed(0)
        return [torch.randn(b, KV_HEADS, p, HEAD_DIM, generator=g).to(dtype)
                for _ in range(2 * LAYERS)]

    onnx_dir = os.path.join(out, "onnx")
    tmp = os.path.join(onnx_dir, "tmp_model.onnx")
    with torch.no_grad():
        torch.onnx.export(ExportFp32(model), tuple([ids, mask, pos] + past(torch.float32)), tmp,
                          input_names=in_names, output_names=out_names, dynamic_axes=dyn,
                          opset_version=17, do_constant_folding=True)
    m = onnx.load(tmp)
    os.remove(tmp)
    onnx.checker.check_model(m)
    onnx.save_model(m, os.path.join(onnx_dir, "model.onnx"), save_as_external_data=True,
                    all_tensors_to_one_file=True, location="model.onnx_data", size_threshold=0)
    onnx.checker.check_model(os.path.join(onnx_dir, "model.onnx"))

    n_keep = torch.tensor(1, dtype=torch.long)
    in16 = in_names + ["num_logits_to_keep"]
    dyn16 = dict(dyn)
    dyn16["logits"] = {0: "batch_size", 1: "num_logits"}
    with torch.no_grad():
        torch.onnx.export(ExportFp16(model), tuple([ids, mask, pos] + past(torch.float16) + [n_keep]),
                          os.path.join(onnx_dir, "model_fp16.onnx"),
                          input_names=in16, output_names=out_names, dynamic_axes=dyn16,
                          opset_version=17, do_constant_folding=True)
    m16 = onnx.load(os.path.join(onnx_dir, "model_fp16.onnx"))
    onnx.checker.check_model(m16)
    for name, mm in (("model.onnx", onnx.load(os.path.join(onnx_dir, "model.onnx"))), ("model_fp16.onnx", m16)):
        print(name)
        for vi in list(mm.graph.input) + list(mm.graph.output):
            t = vi.type.tensor_type
            dims = [d.dim_param or d.dim_value for d in t.shape.dim]
            print(f"   {vi.name:28s} {onnx.TensorProto.DataType.Name(t.elem_type):8s} {dims}")


if __name__ == "__main__":
    main()
