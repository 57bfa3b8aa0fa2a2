package dev.camelllm.constraint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.camelllm.spi.Json;

/**
 * Compiles a JSON Schema (as the Maps, Lists, Strings, Numbers and Booleans Jackson reads it into) to
 * {@link SchemaNode}s, or fails naming the first keyword outside the supported subset. Everything not
 * listed in {@link #SUPPORTED} nor an annotation is refused rather than ignored: an ignored keyword would
 * let through answers that the schema forbids.
 */
final class SchemaCompiler {

    static final String SUPPORTED = "type (also as a list), properties, required, additionalProperties, items, minItems, "
            + "maxItems, minLength, maxLength, enum, const, anyOf/oneOf of different types, local $ref";

    /** Keywords that say nothing about which documents are valid. */
    private static final Set<String> ANNOTATIONS = Set.of("title", "description", "$schema", "$id", "$comment",
            "default", "examples", "deprecated", "readOnly", "writeOnly", "$defs", "definitions", "$anchor");

    private static final Set<String> KEYWORDS = Set.of("type", "properties", "required", "additionalProperties",
            "items", "minItems", "maxItems", "minLength", "maxLength", "enum", "const", "anyOf", "oneOf", "$ref");

    private final Map<String, Object> document;
    private final Map<String, SchemaNode> refs = new HashMap<>();
    private final Map<Object, SchemaNode> compiling = new IdentityHashMap<>();
    private final Set<String> resolving = new java.util.HashSet<>();

    private SchemaCompiler(Map<String, Object> document) {
        this.document = document;
    }

    static SchemaNode compile(Map<String, Object> schema) {
        return new SchemaCompiler(schema).node(schema, "#");
    }

    @SuppressWarnings("unchecked")
    private SchemaNode node(Object schema, String at) {
        if (Boolean.TRUE.equals(schema)) {
            return SchemaNode.ANY;
        }
        if (!(schema instanceof Map)) {
            throw new UnsupportedSchemaException(schema == null ? "null" : String.valueOf(schema), at,
                    "a schema must be an object or true");
        }
        Map<String, Object> s = (Map<String, Object>) schema;
        SchemaNode done = compiling.get(s);
        if (done != null) {
            return done;
        }
        for (String key : s.keySet()) {
            if (!KEYWORDS.contains(key) && !ANNOTATIONS.contains(key)) {
                throw new UnsupportedSchemaException(key, at, "this keyword cannot be enforced while decoding");
            }
        }
        if (s.containsKey("$ref")) {
            only(s, at, "$ref");
            return ref(String.valueOf(s.get("$ref")), at);
        }
        if (s.containsKey("anyOf") || s.containsKey("oneOf")) {
            String keyword = s.containsKey("anyOf") ? "anyOf" : "oneOf";
            only(s, at, keyword);
            return union(s, keyword, at + "/" + keyword);
        }
        SchemaNode node = new SchemaNode();
        compiling.put(s, node);
        List<JsonType> types = types(s, at);
        for (JsonType type : types) {
            node.set(type, rule(type, s, at));
        }
        if (s.containsKey("enum") || s.containsKey("const")) {
            literals(node, s, types, at);
        }
        if (node.allowsNothing()) {
            throw new UnsupportedSchemaException(s.containsKey("enum") ? "enum" : "type", at, "no value can match it");
        }
        return node;
    }

    /** The types the schema allows: its {@code type}, else every type. */
    private static List<JsonType> types(Map<String, Object> s, String at) {
        Object type = s.get("type");
        List<JsonType> out = new ArrayList<>();
        if (type == null) {
            out.addAll(List.of(JsonType.ALL));
            return out;
        }
        for (Object t : type instanceof List<?> list ? list : List.of(type)) {
            String name = String.valueOf(t);
            JsonType jt = switch (name) {
                case "object" -> JsonType.OBJECT;
                case "array" -> JsonType.ARRAY;
                case "string" -> JsonType.STRING;
                case "number", "integer" -> JsonType.NUMBER;
                case "boolean" -> JsonType.BOOLEAN;
                case "null" -> JsonType.NULL;
                default -> throw new UnsupportedSchemaException("type", at, "unknown type '" + name + "'");
            };
            if (!out.contains(jt)) {
                out.add(jt);
            }
        }
        return out;
    }

    private Rule rule(JsonType type, Map<String, Object> s, String at) {
        return switch (type) {
            case OBJECT -> object(s, at);
            case ARRAY -> new Rule.Arr(s.containsKey("items") ? items(s.get("items"), at) : SchemaNode.ANY,
                    count(s, "minItems", 0, at), count(s, "maxItems", Integer.MAX_VALUE, at));
            case STRING -> new Rule.Str(count(s, "minLength", 0, at), count(s, "maxLength", Integer.MAX_VALUE, at));
            case NUMBER -> new Rule.Num(isIntegerOnly(s.get("type")));
            case BOOLEAN -> SchemaNode.booleans();
            case NULL -> SchemaNode.nulls();
        };
    }

    private static boolean isIntegerOnly(Object type) {
        if (type instanceof List<?> list) {
            return list.contains("integer") && !list.contains("number");
        }
        return "integer".equals(type);
    }

    private SchemaNode items(Object items, String at) {
        if (items instanceof List) {
            throw new UnsupportedSchemaException("items", at, "items as a list (a tuple) is not supported");
        }
        return node(items, at + "/items");
    }

    @SuppressWarnings("unchecked")
    private Rule.Obj object(Map<String, Object> s, String at) {
        Object props = s.get("properties");
        Object additional = s.get("additionalProperties");
        if (props != null && !(props instanceof Map)) {
            throw new UnsupportedSchemaException("properties", at, "properties must be an object");
        }
        Map<String, Object> properties = props == null ? Map.of() : (Map<String, Object>) props;
        List<String> required = s.get("required") instanceof List<?> r ? r.stream().map(String::valueOf).toList() : List.of();
        if (properties.isEmpty()) {
            if (!required.isEmpty()) {
                throw new UnsupportedSchemaException("required", at, "required names '" + required.get(0)
                        + "', which properties does not declare");
            }
            if (Boolean.FALSE.equals(additional)) {
                return new Rule.Obj(new byte[0][], new String[0], new SchemaNode[0], 0, null);
            }
            SchemaNode values = additional == null || Boolean.TRUE.equals(additional) ? SchemaNode.ANY
                    : node(additional, at + "/additionalProperties");
            return new Rule.Obj(null, null, null, 0, values);
        }
        if (properties.size() > 64) {
            throw new UnsupportedSchemaException("properties", at, "more than 64 properties in one object");
        }
        int n = properties.size();
        byte[][] keys = new byte[n][];
        String[] names = new String[n];
        SchemaNode[] nodes = new SchemaNode[n];
        int i = 0;
        for (Map.Entry<String, Object> e : properties.entrySet()) {
            names[i] = e.getKey();
            byte[] quoted = canonical(e.getKey());
            keys[i] = java.util.Arrays.copyOfRange(quoted, 1, quoted.length - 1);
            nodes[i] = node(e.getValue(), at + "/properties/" + e.getKey());
            i++;
        }
        long requiredBits = 0;
        for (String name : required) {
            int index = List.of(names).indexOf(name);
            if (index < 0) {
                throw new UnsupportedSchemaException("required", at, "required names '" + name
                        + "', which properties does not declare");
            }
            requiredBits |= 1L << index;
        }
        // additionalProperties (absent, true or a schema) allows more keys; generating only the declared ones
        // still yields valid documents, and keeps a small model on the properties the schema names
        return new Rule.Obj(keys, names, nodes, requiredBits, null);
    }

    /** enum / const: the node allows only these values, each under the type it has, if the node allows that type. */
    private static void literals(SchemaNode node, Map<String, Object> s, List<JsonType> types, String at) {
        List<Object> values = new ArrayList<>();
        if (s.containsKey("const")) {
            values.add(s.get("const"));
        }
        if (s.containsKey("enum")) {
            if (!(s.get("enum") instanceof List<?> list) || list.isEmpty()) {
                throw new UnsupportedSchemaException("enum", at, "enum must be a non-empty list");
            }
            if (s.containsKey("const")) {
                values.retainAll(list);
            } else {
                values.addAll(list);
            }
        }
        Map<JsonType, List<byte[]>> byType = new HashMap<>();
        for (Object v : values) {
            byte[] text = canonical(v);
            JsonType t = JsonType.ofFirstByte(text[0] & 0xff);
            Rule r = node.rule(t);
            if (types.contains(t) && (!(r instanceof Rule.Str str) || fits(v, str))
                    && (!(r instanceof Rule.Num num) || !num.integer() || isInteger(v))) {
                byType.computeIfAbsent(t, k -> new ArrayList<>()).add(text);
            }
        }
        for (JsonType t : JsonType.ALL) {
            List<byte[]> members = byType.get(t);
            node.set(t, members == null ? null : Rule.Literals.of(members.toArray(new byte[0][])));
        }
    }

    private static boolean fits(Object v, Rule.Str rule) {
        String s = (String) v;
        int n = s.codePointCount(0, s.length());
        return n >= rule.minLength() && n <= rule.maxLength();
    }

    private static boolean isInteger(Object v) {
        return v instanceof Integer || v instanceof Long || v instanceof java.math.BigInteger;
    }

    /** anyOf / oneOf whose branches allow different types (integer and number count as one: number). */
    private SchemaNode union(Map<String, Object> s, String keyword, String at) {
        Object branches = s.get(keyword);
        if (!(branches instanceof List<?> list) || list.isEmpty()) {
            throw new UnsupportedSchemaException(keyword, at, keyword + " must be a non-empty list");
        }
        SchemaNode node = new SchemaNode();
        compiling.put(s, node);
        for (int i = 0; i < list.size(); i++) {
            SchemaNode branch = node(list.get(i), at + "/" + i);
            for (JsonType t : JsonType.ALL) {
                Rule r = branch.rule(t);
                if (r == null) {
                    continue;
                }
                Rule existing = node.rule(t);
                if (existing == null) {
                    node.set(t, r);
                } else if (existing instanceof Rule.Num a && r instanceof Rule.Num b) {
                    node.set(t, new Rule.Num(a.integer() && b.integer()));
                } else {
                    throw new UnsupportedSchemaException(keyword, at, "two branches allow the type '" + t.schemaName()
                            + "'; only branches of different types are supported");
                }
            }
        }
        return node;
    }

    private SchemaNode ref(String ref, String at) {
        if (!ref.startsWith("#")) {
            throw new UnsupportedSchemaException("$ref", at, "only local references (#/...) are supported, not '" + ref + "'");
        }
        SchemaNode known = refs.get(ref);
        if (known != null) {
            return known;
        }
        Object target = document;
        for (String part : ref.substring(1).split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            String key = part.replace("~1", "/").replace("~0", "~");
            if (!(target instanceof Map<?, ?> m) || !m.containsKey(key)) {
                throw new UnsupportedSchemaException("$ref", at, "'" + ref + "' points at nothing in the schema");
            }
            target = m.get(key);
        }
        SchemaNode inProgress = compiling.get(target);
        if (inProgress != null) {
            return inProgress;
        }
        if (!resolving.add(ref)) {
            throw new UnsupportedSchemaException("$ref", at, "'" + ref + "' refers to itself through references only");
        }
        try {
            SchemaNode node = node(target, ref);
            refs.put(ref, node);
            return node;
        } finally {
            resolving.remove(ref);
        }
    }

    /** The schema at {@code at} may hold {@code keyword} and annotations only. */
    private static void only(Map<String, Object> s, String at, String keyword) {
        for (String key : s.keySet()) {
            if (!key.equals(keyword) && !ANNOTATIONS.contains(key)) {
                throw new UnsupportedSchemaException(key, at, "'" + key + "' beside '" + keyword + "' is not supported");
            }
        }
    }

    private static int count(Map<String, Object> s, String keyword, int absent, String at) {
        Object v = s.get(keyword);
        if (v == null) {
            return absent;
        }
        if (!(v instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() != Math.floor(n.doubleValue())) {
            throw new UnsupportedSchemaException(keyword, at, keyword + " must be a non-negative integer, not " + v);
        }
        return (int) Math.min(Integer.MAX_VALUE, n.longValue());
    }

    static byte[] canonical(Object value) {
        try {
            return Json.MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value + " as JSON", e);
        }
    }
}
