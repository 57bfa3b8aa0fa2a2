package dev.camelllm.resilience.fault;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.PropertyBindingSupport;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.provider.Arguments;

import dev.camelllm.api.LlmException;
import dev.camelllm.component.LlmComponent;
import dev.camelllm.component.LlmConfiguration;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real routes against raw-socket fakes, with the suite's small delays, and after every test the proof
 * that nothing was left behind: no leased connection, no thread still inside the component, no error
 * in a fake's script.
 */
@Timeout(30)
abstract class FaultRouteSupport extends CamelTestSupport {

    /** Not shaped like an sk- key, so only redaction of the configured key can hide it. */
    static final String KEY = "fault-key-Zq81Lx0Pw3";

    /** Options every endpoint of the suite gets unless a test says otherwise: tiny, jitter-free delays. */
    private static final Map<String, String> DEFAULTS = Map.of(
            "maxRetries", "2",
            "retryInitialDelay", "20",
            "retryJitter", "0",
            "retryMultiplier", "1",
            "timeout", "10000");

    protected final Map<String, String> env = new HashMap<>();
    /** Released after each test: lets scripts that hang on purpose end. */
    protected final CountDownLatch release = new CountDownLatch(1);
    /** What the split of a streamed route received, in order. */
    protected final List<Object> tokens = new CopyOnWriteArrayList<>();
    private final List<ScriptedHttpServer> fakes = new CopyOnWriteArrayList<>();
    private final AtomicInteger routes = new AtomicInteger();

    /** Both wire formats, blocking and streamed. */
    static Stream<Arguments> wiresAndModes() {
        return Stream.of(Wire.values()).flatMap(w -> Stream.of(Arguments.of(w, false), Arguments.of(w, true)));
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext ctx = super.createCamelContext();
        LlmComponent llm = new LlmComponent();
        llm.setEnvironment(env::get);
        ctx.addComponent("llm", llm);
        return ctx;
    }

    protected LlmComponent llm() {
        return context.getComponent("llm", LlmComponent.class);
    }

    /** A new fake upstream, closed after the test. */
    protected ScriptedHttpServer fake() {
        try {
            ScriptedHttpServer fake = new ScriptedHttpServer();
            fakes.add(fake);
            return fake;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The llm: URI of endpoint {@code name} talking {@code wire} to the fake; options override the suite defaults. */
    protected static String llmUri(String name, Wire wire, String baseUrl, boolean stream, String options) {
        Map<String, String> all = new LinkedHashMap<>(DEFAULTS);
        all.put("provider", wire.provider);
        all.put("model", wire.model);
        all.put("baseUrl", baseUrl);
        all.put("apiKey", "RAW(" + KEY + ")");
        all.put("stream", Boolean.toString(stream));
        all.putAll(parse(options));
        return "llm:" + name + "?" + all.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
    }

    protected static String llmUri(String name, Wire wire, ScriptedHttpServer fake, boolean stream, String options) {
        return llmUri(name, wire, wire.baseUrl(fake), stream, options);
    }

    /**
     * Configures profile {@code name} (a fallback) on the component: {@code wire} at the fake, answering as
     * {@code model}, in a resilience group of its own so that the primary's limits and breaker stay apart.
     */
    protected void profile(String name, Wire wire, ScriptedHttpServer fake, String model, String options) {
        Map<String, Object> all = new LinkedHashMap<>(DEFAULTS);
        all.put("provider", wire.provider);
        all.put("model", model);
        all.put("baseUrl", wire.baseUrl(fake));
        all.put("apiKey", KEY);
        all.put("resilienceGroup", name);
        all.putAll(parse(options));
        LlmConfiguration config = new LlmConfiguration();
        PropertyBindingSupport.build().withMandatory(true).withRemoveParameters(false).bind(context, config, all);
        llm().getProfiles().put(name, config);
    }

    /**
     * Adds a route from a new direct: endpoint to the llm: URI; a streamed answer is split token by token
     * into {@link #tokens}. The property "completed" is set only when the route got to its end.
     */
    protected String route(String llmUri, boolean stream) throws Exception {
        String from = "direct:fault" + routes.incrementAndGet();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                if (stream) {
                    from(from).to(llmUri)
                            .split(body()).streaming()
                                .process(e -> tokens.add(e.getMessage().getBody()))
                            .end()
                            .setProperty("completed", constant(true));
                } else {
                    from(from).to(llmUri).setProperty("completed", constant(true));
                }
            }
        });
        return from;
    }

    protected Outcome send(String direct) {
        return send(direct, "Say hello");
    }

    protected Outcome send(String direct, Object body) {
        long start = System.nanoTime();
        Exchange exchange = template.send(direct, e -> e.getMessage().setBody(body));
        return new Outcome(exchange, (System.nanoTime() - start) / 1_000_000);
    }

    /** An exchange that went through a route, and how long it took. */
    record Outcome(Exchange exchange, long millis) {

        LlmException error() {
            return llmCause(exchange.getException());
        }

        boolean completed() {
            return exchange.getProperty("completed") != null && exchange.getException() == null;
        }

        Object header(String name) {
            return exchange.getMessage().getHeader(name);
        }

        Integer attempts() {
            return exchange.getMessage().getHeader(LlmConstants.ATTEMPTS, Integer.class);
        }

        /** The answer's text, blocking or streamed. */
        String text() {
            dev.camelllm.api.ChatResponse response = exchange.getProperty(LlmConstants.RESPONSE_PROPERTY,
                    dev.camelllm.api.ChatResponse.class);
            return response == null ? null : response.text();
        }
    }

    /** The LlmException in a cause chain, or null. */
    static LlmException llmCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof LlmException e) {
                return e;
            }
        }
        return null;
    }

    /** Paths of the requests a fake received, to count them. */
    protected static long requestsTo(ScriptedHttpServer fake, Wire wire) {
        return fake.requests().stream().filter(r -> wire.matches(r.path())).count();
    }

    @AfterEach
    void nothingLeftBehind() throws Exception {
        try {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(llm().http().leasedConnections())
                    .as("connections still leased").isZero());
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(threadsInsideTheComponent())
                    .as("threads still running component code").isEmpty());
            // virtual threads are not in Thread.getAllStackTraces(): the component's own counts cover them
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(llm().calls().open())
                    .as("calls still open").isZero());
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(llm().calls().threads().running())
                    .as("call threads still running").isZero());
            for (ScriptedHttpServer fake : fakes) {
                assertThat(fake.errors()).as("errors of the fake's scripts").isEmpty();
            }
        } finally {
            release.countDown();
            for (ScriptedHttpServer fake : fakes) {
                fake.close();
            }
        }
    }

    /**
     * Threads other than this one that are executing main code of the component (a worker still reading,
     * sleeping in a backoff or waiting for a limit); idle pool threads and the fakes' threads do not count.
     */
    static List<String> threadsInsideTheComponent() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey() != Thread.currentThread())
                .filter(e -> Arrays.stream(e.getValue()).anyMatch(f -> isComponentCode(f.getClassName())))
                .map(e -> e.getKey().getName() + " " + e.getKey().getState() + " at "
                        + Arrays.stream(e.getValue()).filter(f -> isComponentCode(f.getClassName())).findFirst()
                                .map(StackTraceElement::toString).orElse("?"))
                .toList();
    }

    private static boolean isComponentCode(String className) {
        return className.startsWith("dev.camelllm.") && !className.startsWith("dev.camelllm.resilience.fault.")
                && !className.startsWith("dev.camelllm.testsupport.");
    }

    /** Options as a map, from "a=1&b=2". */
    private static Map<String, String> parse(String options) {
        Map<String, String> map = new LinkedHashMap<>();
        if (options != null && !options.isBlank()) {
            for (String pair : options.split("&")) {
                int eq = pair.indexOf('=');
                map.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return map;
    }
}
