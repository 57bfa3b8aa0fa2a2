package dev.camelllm.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.LlmException;
import dev.camelllm.execution.CallThreads;
import dev.camelllm.testsupport.ScriptedHttpServer;

/**
 * The execution model's lifecycle: stopping the context cancels the calls in flight and frees their
 * connections, no thread of ours outlives the context, and bad execution settings fail at start naming
 * the option.
 */
@Timeout(60)
class ExecutionLifecycleTest {

    private static final String ANSWER = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"m\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"content\":\"Hello\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}";

    /** Threads the component starts: the bounded call pool, the watchdog, the HTTP deadline timer. */
    private static List<String> ourThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("llm-") || n.startsWith("camel-llm"))
                .toList();
    }

    private static CamelContext context(String mode, String uri) throws Exception {
        CamelContext context = new DefaultCamelContext();
        LlmComponent llm = new LlmComponent();
        llm.setExecutionMode(mode);
        llm.setPlatformThreads(4);
        llm.setEnvironment(name -> null);
        context.addComponent("llm", llm);
        context.getShutdownStrategy().setTimeout(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to(uri);
            }
        });
        return context;
    }

    @Test
    void stoppingTheContextCancelsCallsInFlightAndLeavesNoThreadOfOurs() throws Exception {
        AtomicBoolean closedByClient = new AtomicBoolean();
        CountDownLatch arrived = new CountDownLatch(2);
        try (ScriptedHttpServer upstream = new ScriptedHttpServer()) {
            upstream.then(ex -> ex.respond(200, "application/json", ANSWER),
                    ex -> {
                        arrived.countDown();
                        closedByClient.set(ex.awaitClientClose(30));
                    });
            // platform mode: its pool threads are visible to Thread.getAllStackTraces(), unlike virtual threads
            CamelContext context = context("platform", "llm:chat?provider=openai-compatible&model=m&baseUrl="
                    + upstream.baseUrl() + "/v1&maxRetries=0&timeout=30000&stream=false");
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            assertThat(template.requestBody("direct:in", "Hi", String.class)).isEqualTo("Hello");
            assertThat(ourThreads()).as("threads of ours while running").isNotEmpty();

            Future<Exchange> pending = template.asyncSend("direct:in", ex -> ex.getMessage().setBody("Hi"));
            await().atMost(Duration.ofSeconds(10)).until(() -> upstream.requests().size() == 2);
            context.stop();

            Exchange out = pending.get(10, TimeUnit.SECONDS);
            assertThat(out.getException()).as("the call in flight ends with an error, not an answer").isNotNull();
            await().atMost(Duration.ofSeconds(10)).untilTrue(closedByClient);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ourThreads())
                    .as("threads of ours after the context stopped").isEmpty());
        }
    }

    @Test
    void aStoppedRouteCancelsItsCallsInFlight() throws Exception {
        AtomicBoolean closedByClient = new AtomicBoolean();
        try (ScriptedHttpServer upstream = new ScriptedHttpServer()) {
            upstream.then(ex -> closedByClient.set(ex.awaitClientClose(30)));
            CamelContext context = context("auto", "llm:chat?provider=openai-compatible&model=m&baseUrl="
                    + upstream.baseUrl() + "/v1&maxRetries=0&timeout=30000");
            context.start();
            try {
                ProducerTemplate template = context.createProducerTemplate();
                Future<Exchange> pending = template.asyncSend("direct:in", ex -> ex.getMessage().setBody("Hi"));
                await().atMost(Duration.ofSeconds(10)).until(() -> upstream.requests().size() == 1);
                String routeId = context.getRoutes().get(0).getRouteId();
                context.getRouteController().stopRoute(routeId, 1, TimeUnit.SECONDS);

                Exchange out = pending.get(10, TimeUnit.SECONDS);
                LlmException e = cause(out.getException());
                assertThat(e).as("got %s", out.getException()).isNotNull();
                assertThat(e.getMessage()).contains("cancelled").contains("stopped");
                await().atMost(Duration.ofSeconds(10)).untilTrue(closedByClient);
                LlmComponent llm = context.getComponent("llm", LlmComponent.class);
                await().atMost(Duration.ofSeconds(10)).until(() -> llm.calls().open() == 0);
            } finally {
                context.stop();
            }
        }
    }

    private static LlmException cause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof LlmException e) {
                return e;
            }
        }
        return null;
    }

    private static Throwable startFails(CamelContext context) {
        try {
            context.start();
            return null;
        } catch (Exception e) {
            return e;
        } finally {
            context.stop();
        }
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append(" | ");
        }
        return sb.toString();
    }

    @Test
    void badExecutionSettingsFailAtStartNamingTheOption() throws Exception {
        String ok = "llm:chat?provider=openai-compatible&model=m&baseUrl=http://127.0.0.1:9/v1";
        assertThat(messages(startFails(context("auto", ok + "&deadline=0")))).contains("'deadline'").contains("positive");
        assertThat(messages(startFails(context("auto", ok + "&deadline=-5")))).contains("'deadline'");
        assertThat(messages(startFails(context("auto", ok + "&maxInFlight=0")))).contains("'maxInFlight'").contains("at least 1");
        assertThat(messages(startFails(context("sometimes", ok)))).contains("'executionMode'").contains("auto, virtual, platform");

        CamelContext noCap = context("auto", ok);
        noCap.getComponent("llm", LlmComponent.class).setGlobalMaxInFlight(0);
        assertThat(messages(startFails(noCap))).contains("'globalMaxInFlight'").contains("at least 1");
        CamelContext noThreads = context("platform", ok);
        noThreads.getComponent("llm", LlmComponent.class).setPlatformThreads(0);
        assertThat(messages(startFails(noThreads))).contains("'platformThreads'");
    }

    @Test
    void virtualThreadsOnAJvmWithoutThemFailAtStartWithTheFix() throws Exception {
        assumeFalse(CallThreads.virtualThreadsAvailable(), "this JVM has virtual threads");
        String ok = "llm:chat?provider=openai-compatible&model=m&baseUrl=http://127.0.0.1:9/v1";
        assertThat(messages(startFails(context("virtual", ok)))).contains("executionMode").contains("JDK 21")
                .contains("auto");
    }
}
