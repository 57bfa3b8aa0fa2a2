package dev.camelllm.provider.onnx;

import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Gives strings and dicts the Python methods that chat templates call ({@code content.startswith(..)},
 * {@code .split('</think>')[0].rstrip('\n')}, {@code .strip()}, {@code dict.items()}, …), with Python's
 * semantics. Jinjava would otherwise look for Java methods: {@code startswith} does not exist and
 * {@code split} takes a regex and drops trailing empty parts. Anything else falls through to Jinjava's
 * own resolver.
 */
final class PythonMethodsResolver extends ELResolver {

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (method == null) {
            return null;
        }
        String name = method.toString();
        Object[] args = params == null ? new Object[0] : params;
        Object result;
        if (base instanceof String s) {
            result = stringMethod(s, name, args);
        } else if (base instanceof Map<?, ?> m) {
            result = mapMethod(m, name, args);
        } else {
            return null;
        }
        if (result == NONE) {
            return null;
        }
        context.setPropertyResolved(true);
        return result;
    }

    /** Marks "not a Python method we know": the next resolver gets its turn. */
    private static final Object NONE = new Object();

    private static Object stringMethod(String s, String name, Object[] a) {
        switch (name) {
            case "startswith":
                return matchesAny(a[0], p -> s.startsWith(p));
            case "endswith":
                return matchesAny(a[0], p -> s.endsWith(p));
            case "strip":
                return rstrip(lstrip(s, chars(a)), chars(a));
            case "lstrip":
                return lstrip(s, chars(a));
            case "rstrip":
                return rstrip(s, chars(a));
            case "split":
                return split(s, a.length > 0 ? (String) a[0] : null, a.length > 1 ? toInt(a[1]) : -1);
            case "upper":
                return s.toUpperCase(Locale.ROOT);
            case "lower":
                return s.toLowerCase(Locale.ROOT);
            case "capitalize":
                return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
            case "title":
                return title(s);
            case "replace":
                return replace(s, String.valueOf(a[0]), String.valueOf(a[1]), a.length > 2 ? toInt(a[2]) : -1);
            case "find":
                return s.indexOf(String.valueOf(a[0]));
            case "count":
                return count(s, String.valueOf(a[0]));
            case "join":
                return join(s, a[0]);
            case "splitlines": {
                List<String> parts = new ArrayList<>(List.of(s.split("\r\n|\r|\n", -1)));
                if (parts.get(parts.size() - 1).isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
                return parts;
            }
            case "isspace":
                return !s.isEmpty() && s.chars().allMatch(Character::isWhitespace);
            case "isdigit":
                return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
            case "isalpha":
                return !s.isEmpty() && s.chars().allMatch(Character::isLetter);
            case "isalnum":
                return !s.isEmpty() && s.chars().allMatch(Character::isLetterOrDigit);
            default:
                return NONE;
        }
    }

    private static Object mapMethod(Map<?, ?> m, String name, Object[] a) {
        switch (name) {
            case "items": {
                List<List<Object>> out = new ArrayList<>();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    out.add(java.util.Arrays.asList(e.getKey(), e.getValue()));
                }
                return out;
            }
            case "keys":
                return new ArrayList<>(m.keySet());
            case "values":
                return new ArrayList<>(m.values());
            case "get":
                return m.containsKey(a[0]) ? m.get(a[0]) : (a.length > 1 ? a[1] : null);
            default:
                return NONE;
        }
    }

    private static boolean matchesAny(Object prefixes, java.util.function.Predicate<String> test) {
        if (prefixes instanceof Iterable<?> it) {
            for (Object p : it) {
                if (test.test(String.valueOf(p))) {
                    return true;
                }
            }
            return false;
        }
        return test.test(String.valueOf(prefixes));
    }

    private static String chars(Object[] a) {
        return a.length == 0 || a[0] == null ? null : a[0].toString();
    }

    private static boolean strippable(char c, String chars) {
        return chars == null ? Character.isWhitespace(c) : chars.indexOf(c) >= 0;
    }

    static String lstrip(String s, String chars) {
        int i = 0;
        while (i < s.length() && strippable(s.charAt(i), chars)) {
            i++;
        }
        return s.substring(i);
    }

    static String rstrip(String s, String chars) {
        int j = s.length();
        while (j > 0 && strippable(s.charAt(j - 1), chars)) {
            j--;
        }
        return s.substring(0, j);
    }

    /** Python's str.split: with a separator every part is kept (also empty ones); without, whitespace runs split. */
    static List<String> split(String s, String sep, int maxSplit) {
        List<String> out = new ArrayList<>();
        if (sep == null) {
            int i = 0;
            int n = s.length();
            while (true) {
                while (i < n && Character.isWhitespace(s.charAt(i))) {
                    i++;
                }
                if (i >= n) {
                    break;
                }
                if (maxSplit >= 0 && out.size() == maxSplit) {
                    out.add(rstrip(s.substring(i), null));
                    break;
                }
                int j = i;
                while (j < n && !Character.isWhitespace(s.charAt(j))) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            }
            return out;
        }
        if (sep.isEmpty()) {
            throw new IllegalArgumentException("empty separator");
        }
        int from = 0;
        int at;
        while ((maxSplit < 0 || out.size() < maxSplit) && (at = s.indexOf(sep, from)) >= 0) {
            out.add(s.substring(from, at));
            from = at + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    private static String replace(String s, String old, String replacement, int count) {
        if (count < 0) {
            return s.replace(old, replacement);
        }
        StringBuilder sb = new StringBuilder();
        int from = 0;
        int done = 0;
        int at;
        while (done < count && !old.isEmpty() && (at = s.indexOf(old, from)) >= 0) {
            sb.append(s, from, at).append(replacement);
            from = at + old.length();
            done++;
        }
        return sb.append(s.substring(from)).toString();
    }

    private static int count(String s, String sub) {
        if (sub.isEmpty()) {
            return s.length() + 1;
        }
        int n = 0;
        int from = 0;
        int at;
        while ((at = s.indexOf(sub, from)) >= 0) {
            n++;
            from = at + sub.length();
        }
        return n;
    }

    private static String join(String sep, Object items) {
        StringBuilder sb = new StringBuilder();
        Iterator<?> it = items instanceof Iterable<?> i ? i.iterator() : List.of(items).iterator();
        while (it.hasNext()) {
            sb.append(it.next());
            if (it.hasNext()) {
                sb.append(sep);
            }
        }
        return sb.toString();
    }

    private static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean start = true;
        for (char c : s.toCharArray()) {
            sb.append(start ? Character.toUpperCase(c) : Character.toLowerCase(c));
            start = !Character.isLetter(c);
        }
        return sb.toString();
    }

    private static int toInt(Object o) {
        return o instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(o));
    }

    // not a property resolver: leave property access to the resolvers after this one

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return false;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
