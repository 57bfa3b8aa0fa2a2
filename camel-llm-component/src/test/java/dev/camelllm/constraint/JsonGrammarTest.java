package dev.camelllm.constraint;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import org.junit.jupiter.api.Test;

import dev.camelllm.api.ResponseFormat;
import dev.camelllm.spi.Json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The automaton on whole documents and prefixes, keyword by keyword, and the schemas it refuses. */
class JsonGrammarTest {

    static JsonGrammar grammar(String schemaJson) {
        try {
            Map<String, Object> schema = Json.MAPPER.readValue(schemaJson, new TypeReference<Map<String, Object>>() { });
            return JsonGrammars.schema(schema);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static void accepts(JsonGrammar g, String... docs) {
        for (String d : docs) {
            assertThat(g.accepts(d)).as("%s accepts %s", g, d).isTrue();
        }
    }

    static void rejects(JsonGrammar g, String... docs) {
        for (String d : docs) {
            assertThat(g.accepts(d)).as("%s rejects %s", g, d).isFalse();
        }
    }

    @Test
    void anyJsonObject() {
        JsonGrammar g = JsonGrammars.of(ResponseFormat.JSON_OBJECT);
        accepts(g, "{}", "{\"a\":1}", "{\"a\": [1, 2.5e3, -0, true, false, null, \"x\"], \"b\": {\"c\": {}}}",
                "{\n  \"k\": \"\\u00e9\\n\\\"\"\n}", "{\"é☕\":\"日本\"}");
        rejects(g, "[]", "\"x\"", "1", " {}", "{} ", "{", "{\"a\"}", "{\"a\":}", "{a:1}", "{\"a\":01}", "{\"a\":1,}",
                "{\"a\":tru}", "{\"a\":\"\u0001\"}", "{\"a\":\"\\x\"}", "{\"a\":1.}", "{\"a\":-}", "{\"a\":1e}");
        assertThat(g.acceptsPrefix("{\"a\": [1, {\"b\"")).isTrue();
        assertThat(g.acceptsPrefix("{\"a\" 1")).isFalse();
    }

    @Test
    void requiredAndOptionalPropertiesInAnyOrderEachOnce() {
        JsonGrammar g = grammar("""
                {"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"},"nick":{"type":"string"}},
                 "required":["name","age"],"additionalProperties":false}""");
        accepts(g, "{\"name\":\"Ann\",\"age\":3}", "{\"age\":3,\"name\":\"Ann\"}", "{\"name\":\"A\",\"nick\":\"B\",\"age\":0}");
        rejects(g, "{\"name\":\"Ann\"}", "{}", "{\"name\":\"A\",\"age\":1,\"name\":\"B\"}", "{\"name\":\"A\",\"age\":1,\"x\":1}",
                "{\"nam\":\"A\",\"age\":1}", "{\"names\":\"A\",\"age\":1}", "{\"name\":1,\"age\":1}");
        // once every property is written, no comma may follow
        assertThat(g.acceptsPrefix("{\"name\":\"A\",\"age\":1,\"nick\":\"B\",")).isFalse();
    }

    @Test
    void propertiesWithoutAdditionalPropertiesGenerateOnlyTheDeclaredOnes() {
        JsonGrammar g = grammar("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"boolean\"}}}");
        accepts(g, "{}", "{\"a\":true}");
        rejects(g, "{\"b\":true}");
        JsonGrammar map = grammar("{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\"}}");
        accepts(map, "{}", "{\"x\":1,\"y\":2}");
        rejects(map, "{\"x\":\"1\"}");
        JsonGrammar empty = grammar("{\"type\":\"object\",\"additionalProperties\":false}");
        accepts(empty, "{}");
        rejects(empty, "{\"x\":1}");
    }

    @Test
    void arraysWithMinAndMaxItems() {
        JsonGrammar g = grammar("{\"type\":\"array\",\"items\":{\"type\":\"integer\"},\"minItems\":1,\"maxItems\":3}");
        accepts(g, "[1]", "[1,2,3]", "[ 1 , 2 ]");
        rejects(g, "[]", "[1,2,3,4]", "[1.5]", "[\"1\"]");
        assertThat(g.acceptsPrefix("[1,2,3,")).isFalse();
        JsonGrammar none = grammar("{\"type\":\"array\",\"maxItems\":0}");
        accepts(none, "[]");
        rejects(none, "[1]");
    }

    @Test
    void stringsWithLengthsEnumAndConst() {
        JsonGrammar len = grammar("{\"type\":\"string\",\"minLength\":2,\"maxLength\":4}");
        accepts(len, "\"ab\"", "\"abcd\"", "\"日本\"", "\"\\n\\t\"", "\"☕☕☕☕\"", "\"😀😀\"");
        rejects(len, "\"a\"", "\"abcde\"", "\"☕☕☕☕☕\"", "\"\\ud83d\\ude00\"");
        JsonGrammar en = grammar("{\"type\":\"string\",\"enum\":[\"billing\",\"bug\",\"other\"]}");
        accepts(en, "\"billing\"", "\"bug\"", "\"other\"");
        rejects(en, "\"bill\"", "\"bugs\"", "\"Bug\"", "\"\"");
        assertThat(en.acceptsPrefix("\"b")).isTrue();
        assertThat(en.acceptsPrefix("\"c")).isFalse();
        JsonGrammar cons = grammar("{\"const\":\"yes\"}");
        accepts(cons, "\"yes\"");
        rejects(cons, "\"no\"", "\"yes \"");
        JsonGrammar escaped = grammar("{\"enum\":[\"say \\\"hi\\\"\", \"é\"]}");
        accepts(escaped, "\"say \\\"hi\\\"\"", "\"é\"");
    }

    @Test
    void integersNumbersBooleansAndNull() {
        JsonGrammar i = grammar("{\"type\":\"integer\"}");
        accepts(i, "0", "-7", "123456789012345");
        rejects(i, "1.5", "1e3", "01", "-", "1234567890123456", "+1");
        JsonGrammar n = grammar("{\"type\":\"number\"}");
        accepts(n, "0", "-0.5", "3.25e-10", "1E+3", "12.0", "9e99");
        rejects(n, ".5", "1.", "1e", "NaN", "0x1", "1e100");
        JsonGrammar b = grammar("{\"type\":\"boolean\"}");
        accepts(b, "true", "false");
        rejects(b, "True", "tru", "null", "1");
        JsonGrammar z = grammar("{\"type\":\"null\"}");
        accepts(z, "null");
        rejects(z, "nul", "false");
        JsonGrammar numbers = grammar("{\"enum\":[1,10,2.5]}");
        accepts(numbers, "1", "10", "2.5");
        rejects(numbers, "100", "2", "11");
    }

    @Test
    void anyOfAndTypeListsOfDifferentTypes() {
        JsonGrammar g = grammar("{\"anyOf\":[{\"type\":\"string\",\"maxLength\":3},{\"type\":\"null\"},{\"type\":\"integer\"}]}");
        accepts(g, "\"abc\"", "null", "42");
        rejects(g, "\"abcd\"", "true", "4.5");
        JsonGrammar list = grammar("{\"type\":[\"boolean\",\"null\"]}");
        accepts(list, "true", "null");
        rejects(list, "0");
        JsonGrammar wide = grammar("{\"oneOf\":[{\"type\":\"integer\"},{\"type\":\"number\"}]}");
        accepts(wide, "1", "1.5");
    }

    @Test
    void nestingAndLocalReferences() {
        JsonGrammar g = grammar("""
                {"type":"object","properties":{"customer":{"$ref":"#/$defs/person"},
                 "lines":{"type":"array","maxItems":2,"items":{"type":"object","properties":{"sku":{"type":"string"},
                   "qty":{"type":"integer"}},"required":["sku","qty"],"additionalProperties":false}}},
                 "required":["customer","lines"],"additionalProperties":false,
                 "$defs":{"person":{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}}}""");
        accepts(g, "{\"customer\":{\"name\":\"A\"},\"lines\":[{\"sku\":\"x\",\"qty\":2},{\"qty\":1,\"sku\":\"y\"}]}");
        rejects(g, "{\"customer\":{},\"lines\":[]}", "{\"customer\":{\"name\":\"A\"},\"lines\":[{\"sku\":\"x\"}]}");
        JsonGrammar tree = grammar("""
                {"$ref":"#/$defs/node","$defs":{"node":{"type":"object","properties":{"v":{"type":"integer"},
                 "kids":{"type":"array","items":{"$ref":"#/$defs/node"}}},"required":["v"]}}}""");
        accepts(tree, "{\"v\":1,\"kids\":[{\"v\":2},{\"v\":3,\"kids\":[]}]}");
        rejects(tree, "{\"kids\":[]}");
    }

    @Test
    void whitespaceIsAllowedButBounded() {
        JsonGrammar g = JsonGrammars.of(ResponseFormat.JSON_OBJECT);
        accepts(g, "{ \"a\" : 1 }", "{\n  \"a\": [\n    1\n  ]\n}", "{\n\t\"a\":1}", "{\"a\":{\n        \"b\":1}}");
        // one space or tab, or a line feed and an indent of up to 4 bytes a level
        rejects(g, "{  \"a\":1}", "{\n\n\"a\":1}", "{\r\n\"a\":1}", "{\"a\" \t:1}",
                "{\n     \"a\":1}", "{\"a\":{\n         \"b\":1}}", "{ \n\"a\":1}");
        accepts(g, "{\n    \"a\":1}");
    }

    @Test
    void nestingDepthIsBounded() {
        JsonGrammar g = JsonGrammars.of(ResponseFormat.JSON_OBJECT);
        String deep = "{\"a\":".repeat(Values.MAX_DEPTH - 1) + "{}" + "}".repeat(Values.MAX_DEPTH - 1);
        accepts(g, deep);
        assertThat(g.acceptsPrefix("{\"a\":".repeat(Values.MAX_DEPTH) + "{")).isFalse();
    }

    @Test
    void aDocumentIsCompleteWhenItsRootCloses() {
        JsonGrammar g = grammar("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}},\"required\":[\"a\"]}");
        State s = g.start().step("{\"a\":12".getBytes());
        assertThat(s.accepting()).isFalse();
        s = s.step('}');
        assertThat(s.accepting()).isTrue();
        assertThat(s.complete()).isTrue();
        State number = grammar("{\"type\":\"integer\"}").start().step("12".getBytes());
        assertThat(number.accepting()).isTrue();
        assertThat(number.complete()).as("a root number may go on").isFalse();
    }

    @Test
    void schemasOutsideTheSubsetNameTheKeyword() {
        for (Map.Entry<String, String> c : Map.of(
                "{\"type\":\"string\",\"pattern\":\"^a\"}", "pattern",
                "{\"type\":\"object\",\"properties\":{\"e\":{\"type\":\"string\",\"format\":\"email\"}}}", "format",
                "{\"type\":\"integer\",\"minimum\":0}", "minimum",
                "{\"allOf\":[{\"type\":\"string\"}]}", "allOf",
                "{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"string\",\"maxLength\":2}]}", "anyOf",
                "{\"type\":\"array\",\"items\":[{\"type\":\"string\"}]}", "items",
                "{\"type\":\"array\",\"uniqueItems\":true}", "uniqueItems",
                "{\"$ref\":\"http://example.com/s.json\"}", "$ref",
                "{\"type\":\"object\",\"properties\":{\"a\":{}},\"required\":[\"b\"]}", "required").entrySet()) {
            assertThatThrownBy(() -> grammar(c.getKey())).as(c.getKey())
                    .isInstanceOfSatisfying(UnsupportedSchemaException.class, e -> {
                        assertThat(e.keyword()).isEqualTo(c.getValue());
                        assertThat(e.getMessage()).contains("'" + c.getValue() + "'");
                    });
        }
        assertThatThrownBy(() -> grammar("{\"type\":\"object\",\"properties\":{\"e\":{\"type\":\"string\",\"format\":\"email\"}}}"))
                .hasMessageContaining("at #/properties/e");
    }

    @Test
    void compiledSchemasAreCached() {
        String schema = "{\"type\":\"object\",\"properties\":{\"cached\":{\"type\":\"boolean\"}}}";
        JsonGrammar first = grammar(schema);
        assertThat(grammar(schema)).isSameAs(first);
        assertThat(JsonGrammars.of(ResponseFormat.jsonSchema("x", Map.of("type", "object",
                "properties", Map.of("cached", Map.of("type", "boolean")))))).isSameAs(first);
        assertThat(JsonGrammars.of(ResponseFormat.TEXT)).isNull();
        assertThat(JsonGrammars.of(null)).isNull();
        assertThat(List.of(JsonGrammars.cached())).allMatch(n -> n >= 1);
    }
}
