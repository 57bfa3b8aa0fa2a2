package dev.camelllm.provider.openai;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.test.junit5.CamelTestSupport;

import dev.camelllm.component.LlmComponent;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static org.awaitility.Awaitility.await;

/**
 * Route tests of the Chat Completions providers: an llm component whose environment the test controls
 * (surefire clears OPENAI_API_KEY anyway), fixtures, and the leak check.
 */
public abstract class OpenAiTestSupport extends CamelTestSupport {

    /** Not shaped like an sk- key, so only the redaction of the configured key can hide it. */
    public static final String KEY = "test-key-7Hq2Zp9Lm4";

    protected final Map<String, String> env = new HashMap<>();

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

    /** Every pooled connection was handed back (streams closed or aborted). */
    protected void awaitNoLeasedConnections() {
        await().atMost(Duration.ofSeconds(5)).until(() -> llm().http().leasedConnections() == 0);
    }

    public static String fixture(String name) {
        try (InputStream in = OpenAiTestSupport.class.getResourceAsStream("/fixtures/openai/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The events of an .sse fixture, each with its terminating blank line, to send one per HTTP chunk. */
    public static List<String> events(String name) {
        List<String> out = new ArrayList<>();
        for (String block : fixture(name).split("\n\n")) {
            if (!block.isBlank()) {
                out.add(block.strip() + "\n\n");
            }
        }
        return out;
    }

    /** A script that streams a whole fixture, then ends the body properly. */
    public static ScriptedHttpServer.Script streamOf(String name) {
        return ex -> {
            ex.startStream(200);
            for (String event : events(name)) {
                ex.send(event);
            }
            ex.endStream();
        };
    }
}
