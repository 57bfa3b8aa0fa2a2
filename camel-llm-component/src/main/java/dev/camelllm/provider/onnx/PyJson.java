package dev.camelllm.provider.onnx;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes values the way Python's {@code json.dumps(x, ensure_ascii=False)} does, which is what the
 * {@code tojson} filter of Hugging Face's chat templates produces: {@code ", "} and {@code ": "}
 * separators, key order kept, non-ASCII kept, no HTML escaping; with an indent, Python's layout. A
 * model was trained on exactly these bytes, so Jackson's compact output would change the prompt.
 */
final class PyJson {

    private PyJson() {
    }

    static String dumps(Object value) {
        return dumps(value, null, false);
    }

    /** @param indent null for one line, else the number of spaces per level (Python's indent=) */
    static String dumps(Object value, Integer indent, boolean sortKeys) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, indent, 0, sortKeys);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, Integer indent, int depth, boolean sortKeys) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof CharSequence s) {
            quote(sb, s.toString());
        } else if (v instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (v instanceof Double || v instanceof Float) {
            sb.append(pyFloat(((Number) v).doubleValue()));
        } else if (v instanceof BigDecimal d) {
            sb.append(pyFloat(d.doubleValue()));
        } else if (v instanceof Number n) {
            sb.append(n.toString());
        } else if (v instanceof Map<?, ?> map) {
            Iterable<? extends Map.Entry<?, ?>> entries = map.entrySet();
            if (sortKeys) {
                entries = new java.util.TreeMap<Object, Object>(map).entrySet();
            }
            if (map.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : entries) {
                separator(sb, first, indent, depth + 1);
                first = false;
                quote(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                write(sb, e.getValue(), indent, depth + 1, sortKeys);
            }
            close(sb, indent, depth);
            sb.append('}');
        } else if (v instanceof Collection<?> || v instanceof Object[] || v instanceof Iterator<?>) {
            Iterator<?> it = v instanceof Collection<?> c ? c.iterator()
                    : v instanceof Object[] a ? java.util.Arrays.asList(a).iterator() : (Iterator<?>) v;
            if (!it.hasNext()) {
                sb.append("[]");
                return;
            }
            sb.append('[');
            boolean first = true;
            while (it.hasNext()) {
                separator(sb, first, indent, depth + 1);
                first = false;
                write(sb, it.next(), indent, depth + 1, sortKeys);
            }
            close(sb, indent, depth);
            sb.append(']');
        } else {
            quote(sb, v.toString());
        }
    }

    private static void separator(StringBuilder sb, boolean first, Integer indent, int depth) {
        if (indent == null) {
            if (!first) {
                sb.append(", ");
            }
        } else {
            if (!first) {
                sb.append(',');
            }
            sb.append('\n').append(" ".repeat(indent * depth));
        }
    }

    private static void close(StringBuilder sb, Integer indent, int depth) {
        if (indent != null) {
            sb.append('\n').append(" ".repeat(indent * depth));
        }
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** Python's float repr: 1.0, 0.5, 1e-05, 1e+20, NaN, Infinity. */
    static String pyFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        String java = Double.toString(d);
        int e = java.indexOf('E');
        if (e < 0) {
            return java;
        }
        // Java: 1.0E20 / 1.0E-5; Python: 1e+20 / 1e-05 (plain decimal between 1e-4 and 1e16)
        double abs = Math.abs(d);
        if (abs >= 1e-4 && abs < 1e16) {
            String plain = new BigDecimal(java).toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String mantissa = java.substring(0, e);
        if (mantissa.endsWith(".0")) {
            mantissa = mantissa.substring(0, mantissa.length() - 2);
        }
        int exp = Integer.parseInt(java.substring(e + 1));
        return mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
}
