package dev.camelllm.provider.onnx;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.el.ext.NamedParameter;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.AdvancedFilter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;

import jinjava.javax.el.CompositeELResolver;

/**
 * Renders a model's Hugging Face {@code chat_template} with Jinjava, set up to behave like the Jinja
 * environment of transformers' {@code apply_chat_template}: trim_blocks and lstrip_blocks, Python string
 * and dict methods, {@code namespace()}, {@code raise_exception()}, {@code strftime_now()}, a
 * {@code tojson} that writes Python's {@code json.dumps} layout, and expressions rewritten where Jinjava's
 * parser differs from Jinja's ({@link TemplateAdapter}). Tested against the real Qwen3, Qwen2.5 and Llama 3 templates.
 */
final class JinjaChatTemplate implements ChatTemplate {

    private final String source;
    private final Map<String, Object> specialTokens;
    private final Jinjava jinjava;

    /**
     * @param source the template text
     * @param specialTokens bos_token, eos_token, … as the template sees them
     */
    JinjaChatTemplate(String source, Map<String, Object> specialTokens) {
        this.source = adapt(source);
        this.specialTokens = Map.copyOf(specialTokens.entrySet().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonMethodsResolver());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_WRITE);
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withElResolver(resolver)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withUseNaturalOperatorPrecedence(true)
                        .withParseWhitespaceControlStrictly(true)
                        .withUseTrimmingForNotesAndExpressions(true)
                        .withEvaluateMapKeys(true)
                        .withIterateOverMapKeys(true)
                        .withUsePyishObjectMapper(true)
                        .withKeepNullableLoopValues(true)
                        .build())
                .build();
        jinjava = new Jinjava(config);
        jinjava.getGlobalContext().registerFilter(new ToJsonFilter());
        jinjava.getGlobalContext().registerExpTest(new IterableTest());
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "namespace", JinjaChatTemplate.class,
                "namespace", Object[].class));
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
                JinjaChatTemplate.class, "raiseException", String.class));
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "strftime_now",
                JinjaChatTemplate.class, "strftimeNow", String.class));
    }

    /**
     * Jinja drops one trailing newline of the template (keep_trailing_newline=False); expressions that
     * Jinjava parses differently are rewritten (see {@link TemplateAdapter}).
     */
    private static String adapt(String template) {
        String t = template.endsWith("\n") ? template.substring(0, template.length() - 1) : template;
        return TemplateAdapter.adapt(t);
    }

    @Override
    public String description() {
        return "the model's chat_template (Jinjava)";
    }

    @Override
    public String render(List<Map<String, Object>> messages, List<Map<String, Object>> tools,
                         boolean addGenerationPrompt, Map<String, Object> variables) {
        Map<String, Object> bindings = new HashMap<>(specialTokens);
        bindings.putAll(variables);
        bindings.put("messages", messages);
        if (tools != null) {
            bindings.put("tools", tools);
        }
        bindings.put("add_generation_prompt", addGenerationPrompt);
        RenderResult result;
        try {
            result = jinjava.renderForResult(source, bindings);
        } catch (RuntimeException e) {
            String raised = raisedMessage(e);
            throw new TemplateException(raised != null ? "chat template raised: " + raised
                    : "chat template failed: " + rootMessage(e), e, raised != null);
        }
        List<TemplateError> fatal = result.getErrors().stream()
                .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL).toList();
        if (!fatal.isEmpty()) {
            TemplateError first = fatal.get(0);
            String raised = first.getException() == null ? null : raisedMessage(first.getException());
            throw new TemplateException(raised != null ? "chat template raised: " + raised
                    : "chat template failed at line " + first.getLineno() + ": " + first.getMessage(), first.getException(),
                    raised != null);
        }
        return result.getOutput();
    }

    private static String raisedMessage(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RaisedException r) {
                return r.getMessage();
            }
        }
        return null;
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    // ---- functions (public static: Jinjava calls them through reflection)

    /** {@code namespace(a=1, b=2)}: a mutable object whose attributes {@code set ns.a = …} may change. */
    public static Map<String, Object> namespace(Object... args) {
        Map<String, Object> ns = new LinkedHashMap<>();
        if (args != null) {
            for (Object a : args) {
                if (a instanceof NamedParameter p) {
                    ns.put(p.getName(), p.getValue());
                } else if (a instanceof Map<?, ?> m) {
                    m.forEach((k, v) -> ns.put(String.valueOf(k), v));
                }
            }
        }
        return ns;
    }

    public static String raiseException(String message) {
        throw new RaisedException(message);
    }

    /** Python strftime directives that chat templates use (%d %b %Y and friends). */
    public static String strftimeNow(String format) {
        LocalDateTime now = LocalDateTime.now();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                sb.append(c);
                continue;
            }
            char d = format.charAt(++i);
            String pattern = switch (d) {
                case 'd' -> "dd";
                case 'm' -> "MM";
                case 'Y' -> "yyyy";
                case 'y' -> "yy";
                case 'b' -> "MMM";
                case 'B' -> "MMMM";
                case 'a' -> "EEE";
                case 'A' -> "EEEE";
                case 'H' -> "HH";
                case 'M' -> "mm";
                case 'S' -> "ss";
                case 'j' -> "DDD";
                default -> null;
            };
            if (pattern != null) {
                sb.append(DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH).format(now));
            } else if (d == '%') {
                sb.append('%');
            } else {
                sb.append('%').append(d);
            }
        }
        return sb.toString();
    }

    static final class RaisedException extends RuntimeException {
        RaisedException(String message) {
            super(message);
        }
    }

    /** transformers' tojson: json.dumps(x, ensure_ascii=False, indent=..., sort_keys=...). */
    static final class ToJsonFilter implements AdvancedFilter {
        @Override
        public String getName() {
            return "tojson";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object indent = kwargs.get("indent");
            if (indent == null && args.length > 0) {
                indent = args[0];
            }
            Integer spaces = indent instanceof Number n ? Integer.valueOf(n.intValue())
                    : indent == null ? null : Integer.valueOf(indent.toString());
            boolean sort = Boolean.TRUE.equals(kwargs.get("sort_keys"));
            return PyJson.dumps(var, spaces, sort);
        }
    }

    /** Jinja's {@code iterable}: strings are iterable too (Llama 3 templates rely on it). */
    static final class IterableTest implements ExpTest {
        @Override
        public String getName() {
            return "iterable";
        }

        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            return var instanceof Iterable<?> || var instanceof Map<?, ?> || var instanceof String
                    || (var != null && var.getClass().isArray());
        }
    }
}
