package dev.camelllm.provider.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Rewrites the expressions of a Jinja template where Jinjava's parser reads them differently from
 * Python's Jinja, so that chat templates written for transformers render the same:
 * <ul>
 * <li>{@code not} binds looser than comparisons and tests in Jinja ({@code not x|length == 1} is
 * {@code not ((x|length) == 1)}); Jinjava binds it to the next operand. Its operand is parenthesised up
 * to the next {@code and}/{@code or}/{@code if}/{@code else}, comma or closing bracket.</li>
 * <li>A keyword argument's value is a whole expression in Jinja ({@code namespace(i=messages|length - 1)});
 * Jinjava ends it at the first operator. Values of more than one token are parenthesised.</li>
 * <li>{@code x[::-1]} (not parsed by Jinjava) becomes {@code x|reverse}.</li>
 * </ul>
 * Text outside tags, string literals and comments are left alone.
 */
final class TemplateAdapter {

    private static final Set<String> NOT_OPERAND_END = Set.of("and", "or", "if", "else");

    private TemplateAdapter() {
    }

    static String adapt(String template) {
        StringBuilder out = new StringBuilder(template.length() + 64);
        int i = 0;
        int n = template.length();
        while (i < n) {
            int open = nextTag(template, i);
            if (open < 0) {
                out.append(template, i, n);
                break;
            }
            out.append(template, i, open);
            char kind = template.charAt(open + 1);
            if (kind == '#') {
                int end = template.indexOf("#}", open + 2);
                end = end < 0 ? n : end + 2;
                out.append(template, open, end);
                i = end;
                continue;
            }
            String closer = kind == '{' ? "}}" : "%}";
            int end = tagEnd(template, open + 2, closer);
            if (end < 0) {
                out.append(template, open, n);
                break;
            }
            int bodyStart = open + 2;
            int bodyEnd = end;
            // keep whitespace-control markers ({{- -}} {%+ %}) outside the rewritten expression
            if (bodyStart < bodyEnd && (template.charAt(bodyStart) == '-' || template.charAt(bodyStart) == '+')) {
                bodyStart++;
            }
            if (bodyEnd > bodyStart && (template.charAt(bodyEnd - 1) == '-' || template.charAt(bodyEnd - 1) == '+')) {
                bodyEnd--;
            }
            out.append(template, open, bodyStart);
            out.append(rewrite(template.substring(bodyStart, bodyEnd)));
            out.append(template, bodyEnd, end + 2);
            i = end + 2;
        }
        return out.toString();
    }

    private static int nextTag(String s, int from) {
        for (int i = from; i < s.length() - 1; i++) {
            if (s.charAt(i) == '{') {
                char c = s.charAt(i + 1);
                if (c == '{' || c == '%' || c == '#') {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The index of the closer, skipping string literals. */
    private static int tagEnd(String s, int from, String closer) {
        int i = from;
        while (i < s.length() - 1) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                i = stringEnd(s, i);
                continue;
            }
            if (s.startsWith(closer, i)) {
                return i;
            }
            i++;
        }
        return -1;
    }

    private static int stringEnd(String s, int start) {
        char q = s.charAt(start);
        int i = start + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == q) {
                return i + 1;
            }
            i++;
        }
        return s.length();
    }

    // ---- expressions

    private record Tok(String text, boolean name, boolean space) {
    }

    static String rewrite(String expression) {
        List<Tok> toks = tokenize(expression);
        toks = reverseSlices(toks);
        StringBuilder sb = new StringBuilder();
        emit(toks, 0, toks.size(), sb);
        return sb.toString();
    }

    private static List<Tok> tokenize(String s) {
        List<Tok> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int j;
            if (Character.isWhitespace(c)) {
                j = i;
                while (j < s.length() && Character.isWhitespace(s.charAt(j))) {
                    j++;
                }
                out.add(new Tok(s.substring(i, j), false, true));
            } else if (c == '\'' || c == '"') {
                j = stringEnd(s, i);
                out.add(new Tok(s.substring(i, j), false, false));
            } else if (Character.isLetterOrDigit(c) || c == '_') {
                j = i;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                    j++;
                }
                out.add(new Tok(s.substring(i, j), Character.isLetter(c) || c == '_', false));
            } else {
                j = i + 1;
                if (j < s.length()) {
                    String two = s.substring(i, j + 1);
                    if (two.equals("==") || two.equals("!=") || two.equals("<=") || two.equals(">=")
                            || two.equals("//") || two.equals("**")) {
                        j++;
                    }
                }
                out.add(new Tok(s.substring(i, j), false, false));
            }
            i = j;
        }
        return out;
    }

    /** {@code [ : : - 1 ]} (spaces allowed) becomes {@code |reverse}. */
    private static List<Tok> reverseSlices(List<Tok> toks) {
        List<Tok> out = new ArrayList<>(toks.size());
        for (int i = 0; i < toks.size(); i++) {
            if (toks.get(i).text().equals("[")) {
                StringBuilder seq = new StringBuilder();
                int j = i + 1;
                while (j < toks.size() && !toks.get(j).text().equals("]") && seq.length() < 8) {
                    if (!toks.get(j).space()) {
                        seq.append(toks.get(j).text());
                    }
                    j++;
                }
                if (j < toks.size() && seq.toString().equals("::-1")) {
                    out.add(new Tok("|", false, false));
                    out.add(new Tok("reverse", true, false));
                    i = j;
                    continue;
                }
            }
            out.add(toks.get(i));
        }
        return out;
    }

    private static void emit(List<Tok> toks, int from, int to, StringBuilder sb) {
        int i = from;
        while (i < to) {
            Tok t = toks.get(i);
            if (t.name() && t.text().equals("not") && !previousIs(toks, from, i, "is") && !nextIs(toks, i, to, "in")) {
                int end = notOperandEnd(toks, i + 1, to);
                sb.append("not (");
                emit(toks, skipSpace(toks, i + 1, end), end, sb);
                sb.append(')');
                i = end;
                continue;
            }
            if (t.text().equals("(") && i > from && isCallee(toks.get(previousNonSpace(toks, from, i)))) {
                int close = matching(toks, i, to);
                sb.append('(');
                emitArguments(toks, i + 1, close, sb);
                if (close < to) {
                    sb.append(')');
                }
                i = close + 1;
                continue;
            }
            sb.append(t.text());
            i++;
        }
    }

    /** Call arguments: each {@code name=value} whose value has more than one token gets parentheses. */
    private static void emitArguments(List<Tok> toks, int from, int to, StringBuilder sb) {
        int start = from;
        while (start <= to) {
            int end = start;
            int depth = 0;
            while (end < to) {
                String x = toks.get(end).text();
                if (x.equals("(") || x.equals("[") || x.equals("{")) {
                    depth++;
                } else if (x.equals(")") || x.equals("]") || x.equals("}")) {
                    depth--;
                } else if (x.equals(",") && depth == 0) {
                    break;
                }
                end++;
            }
            int nameAt = skipSpace(toks, start, end);
            int eq = nameAt < end ? skipSpace(toks, nameAt + 1, end) : end;
            if (nameAt < end && toks.get(nameAt).name() && eq < end && toks.get(eq).text().equals("=")) {
                int valueAt = skipSpace(toks, eq + 1, end);
                int valueEnd = end;
                while (valueEnd > valueAt && toks.get(valueEnd - 1).space()) {
                    valueEnd--;
                }
                for (int k = start; k <= eq; k++) {
                    sb.append(toks.get(k).text());
                }
                boolean wrap = valueEnd - valueAt > 1;
                sb.append(wrap ? "(" : "");
                emit(toks, valueAt, valueEnd, sb);
                sb.append(wrap ? ")" : "");
                for (int k = valueEnd; k < end; k++) {
                    sb.append(toks.get(k).text());
                }
            } else {
                emit(toks, start, end, sb);
            }
            if (end < to) {
                sb.append(',');
            }
            start = end + 1;
        }
    }

    private static boolean isCallee(Tok t) {
        return (t.name() && !Set.of("not", "and", "or", "in", "is", "if", "else").contains(t.text()))
                || t.text().equals(")") || t.text().equals("]");
    }

    private static int notOperandEnd(List<Tok> toks, int from, int to) {
        int depth = 0;
        for (int i = from; i < to; i++) {
            Tok t = toks.get(i);
            String x = t.text();
            if (x.equals("(") || x.equals("[") || x.equals("{")) {
                depth++;
            } else if (x.equals(")") || x.equals("]") || x.equals("}")) {
                if (depth == 0) {
                    return i;
                }
                depth--;
            } else if (depth == 0 && (x.equals(",") || (t.name() && NOT_OPERAND_END.contains(x)))) {
                int end = i;
                while (end > from && toks.get(end - 1).space()) {
                    end--;
                }
                return end;
            }
        }
        int end = to;
        while (end > from && toks.get(end - 1).space()) {
            end--;
        }
        return end;
    }

    private static int matching(List<Tok> toks, int open, int to) {
        int depth = 0;
        for (int i = open; i < to; i++) {
            String x = toks.get(i).text();
            if (x.equals("(") || x.equals("[") || x.equals("{")) {
                depth++;
            } else if (x.equals(")") || x.equals("]") || x.equals("}")) {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return to;
    }

    private static boolean previousIs(List<Tok> toks, int from, int i, String word) {
        int p = previousNonSpace(toks, from, i);
        return p >= from && p < i && toks.get(p).text().equals(word);
    }

    private static boolean nextIs(List<Tok> toks, int i, int to, String word) {
        int k = skipSpace(toks, i + 1, to);
        return k < to && toks.get(k).text().equals(word);
    }

    private static int previousNonSpace(List<Tok> toks, int from, int i) {
        int p = i - 1;
        while (p >= from && toks.get(p).space()) {
            p--;
        }
        return p < from ? i : p;
    }

    private static int skipSpace(List<Tok> toks, int i, int to) {
        while (i < to && toks.get(i).space()) {
            i++;
        }
        return i;
    }
}
