package dev.camelllm.provider.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.type.TypeReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.camelllm.spi.Json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Jinjava against real Hugging Face chat templates (test resources onnx/templates/, data, not code):
 * <ul>
 * <li>qwen3.jinja: chat_template of Qwen/Qwen3-0.6B, as stored in ggml-org/llama.cpp
 * models/templates/Qwen-Qwen3-0.6B.jinja (read from the ye-NX/llama.cpp mirror);</li>
 * <li>qwen2_5.jinja: chat_template of Qwen/Qwen2.5-7B-Instruct's tokenizer_config.json, as quoted in
 * ShishirPatil/gorilla berkeley-function-call-leaderboard/bfcl/model_handler/local_inference/qwen.py;</li>
 * <li>llama3.jinja: chat_template of meta-llama/Meta-Llama-3-8B-Instruct (widely quoted one-liner);</li>
 * <li>llama3_2.jinja: meta-llama/Llama-3.2-3B-Instruct, llama.cpp models/templates/ (ye-NX/llama.cpp).</li>
 * </ul>
 * The expected renderings come from Python's jinja2 with transformers' environment
 * (tools/chat-templates/render_reference.py), so every difference to HF's apply_chat_template shows here.
 */
@Timeout(30)
class JinjaChatTemplateTest {

    static Stream<Arguments> renderings() throws IOException {
        Map<String, Object> root = fixture();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list = (List<Map<String, Object>>) root.get("renderings");
        return list.stream().map(r -> Arguments.of(r.get("template"), r.get("conversation"), r.get("rendered")));
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("renderings")
    void rendersLikeTransformers(String template, String conversation, String expected) throws IOException {
        Map<String, Object> conv = conversation(conversation);
        Map<String, Object> vars = new HashMap<>();
        if (conv.containsKey("enable_thinking")) {
            vars.put("enable_thinking", conv.get("enable_thinking"));
        }
        if (template.equals("llama3_2")) {
            vars.put("date_string", "26 Jul 2024");
        }
        String rendered = template(template).render(messages(conv), tools(conv), true, vars);
        assertThat(rendered).isEqualTo(expected);
    }

    @Test
    void qwen25KnownRendering() throws IOException {
        String rendered = template("qwen2_5").render(List.of(Map.of("role", "user", "content", "Hello")), null, true,
                Map.of());
        assertThat(rendered).isEqualTo("<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful "
                + "assistant.<|im_end|>\n<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n");
    }

    @Test
    void raiseExceptionSurfacesTheTemplatesMessage() throws IOException {
        Map<String, Object> call = Map.of("type", "function", "function", Map.of("name", "a", "arguments", Map.of()));
        Map<String, Object> twoCalls = new HashMap<>(Map.of("role", "assistant", "content", "",
                "tool_calls", List.of(call, call)));
        assertThatThrownBy(() -> template("llama3_2").render(
                List.of(Map.of("role", "user", "content", "x"), twoCalls), null, true, Map.of()))
                .isInstanceOf(ChatTemplate.TemplateException.class)
                .hasMessageContaining("This model only supports single tool-calls at once!");
    }

    @Test
    void expressionsAreRewrittenWhereJinjavaParsesDifferently() {
        assertThat(TemplateAdapter.adapt("{%- if not x|length == 1 %}a{% endif %}"))
                .isEqualTo("{%- if not (x|length == 1) %}a{% endif %}");
        assertThat(TemplateAdapter.adapt("{{ not a is none and not b }}")).isEqualTo("{{ not (a is none) and not (b) }}");
        assertThat(TemplateAdapter.adapt("{% if x is not none and 'a' not in y %}")).isEqualTo("{% if x is not none and 'a' not in y %}");
        assertThat(TemplateAdapter.adapt("{%- set ns = namespace(a=true, i=m|length - 1) %}"))
                .isEqualTo("{%- set ns = namespace(a=true, i=(m|length - 1)) %}");
        assertThat(TemplateAdapter.adapt("{% for m in messages[::-1] %}")).isEqualTo("{% for m in messages|reverse %}");
        assertThat(TemplateAdapter.adapt("text 'not' {{ 'not x' }} {# not y #}")).isEqualTo("text 'not' {{ 'not x' }} {# not y #}");
        assertThat(TemplateAdapter.adapt("{{- not(a.startswith('<') and b) -}}")).isEqualTo("{{- not ((a.startswith('<') and b)) -}}");
    }

    @Test
    void pythonJsonLayout() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("b", "é \"q\"\n");
        m.put("a", List.of(1, 2.5, true));
        m.put("n", null);
        assertThat(PyJson.dumps(m)).isEqualTo("{\"b\": \"é \\\"q\\\"\\n\", \"a\": [1, 2.5, true], \"n\": null}");
        assertThat(PyJson.dumps(Map.of("k", List.of()), 2, false)).isEqualTo("{\n  \"k\": []\n}");
        assertThat(PyJson.pyFloat(1e-5)).isEqualTo("1e-05");
        assertThat(PyJson.pyFloat(1e20)).isEqualTo("1e+20");
        assertThat(PyJson.pyFloat(12345678.0)).isEqualTo("12345678.0");
    }

    @Test
    void pythonStringMethods() {
        assertThat(PythonMethodsResolver.split("a</think>b</think>", "</think>", -1)).containsExactly("a", "b", "");
        assertThat(PythonMethodsResolver.split("  a  b ", null, -1)).containsExactly("a", "b");
        assertThat(PythonMethodsResolver.lstrip("\n\nx\n", "\n")).isEqualTo("x\n");
        assertThat(PythonMethodsResolver.rstrip("x \n", null)).isEqualTo("x");
    }

    // ---- fixtures

    static JinjaChatTemplate template(String name) throws IOException {
        Map<String, Object> special = new HashMap<>();
        if (name.startsWith("llama")) {
            special.put("bos_token", "<|begin_of_text|>");
            special.put("eos_token", "<|eot_id|>");
        } else {
            special.put("eos_token", "<|im_end|>");
        }
        return new JinjaChatTemplate(resource("onnx/templates/" + name + ".jinja"), special);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> conversation(String name) throws IOException {
        for (Map<String, Object> c : (List<Map<String, Object>>) fixture().get("conversations")) {
            if (name.equals(c.get("name"))) {
                return c;
            }
        }
        throw new IllegalArgumentException(name);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> messages(Map<String, Object> conv) {
        return new ArrayList<>((List<Map<String, Object>>) conv.get("messages"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> tools(Map<String, Object> conv) {
        return (List<Map<String, Object>>) conv.get("tools");
    }

    private static Map<String, Object> fixture() throws IOException {
        return Json.MAPPER.readValue(resource("onnx/templates/expected-renderings.json"), new TypeReference<>() {
        });
    }

    static String resource(String path) throws IOException {
        try (InputStream in = JinjaChatTemplateTest.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("missing test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
