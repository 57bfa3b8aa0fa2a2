package dev.camelllm.observability;

import java.util.HashMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import dev.camelllm.component.LlmComponent;
import dev.camelllm.testsupport.ScriptedHttpServer;

/**
 * An llm component in a Camel context whose registry holds a MeterRegistry under camel-micrometer's name
 * (as camel-micrometer binds it), and an OpenAI-format fake on loopback per test.
 */
abstract class ObservabilityTestSupport extends CamelTestSupport {

    /** Not shaped like an sk- key: only the redaction of the configured key can hide it. */
    static final String KEY = "test-key-Obs9Xq2Lm4Vw";

    protected final MeterRegistry meters = new SimpleMeterRegistry();
    protected final Map<String, String> env = new HashMap<>();
    protected ScriptedHttpServer upstream;

    @BeforeEach
    void startUpstream() throws Exception {
        upstream = new ScriptedHttpServer();
    }

    @AfterEach
    void stopUpstream() throws Exception {
        upstream.close();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext ctx = super.createCamelContext();
        ctx.getRegistry().bind(LlmObservability.CAMEL_METRICS_REGISTRY, meters);
        LlmComponent llm = new LlmComponent();
        llm.setEnvironment(env::get);
        ctx.addComponent("llm", llm);
        return ctx;
    }

    @Override
    public boolean isUseAdviceWith() {
        // routes use the fake's port: the test adds them, then starts the context
        return true;
    }

    protected LlmComponent llm() {
        return context.getComponent("llm", LlmComponent.class);
    }

    /** The options of an OpenAI endpoint at the fake, without retries unless the test adds them. */
    protected String openAi(String name, String model, String more) {
        return "llm:" + name + "?provider=openai&baseUrl=" + upstream.baseUrl() + "/v1&apiKey=" + KEY + "&model=" + model
                + (more == null || more.isEmpty() ? "&maxRetries=0" : "&" + more);
    }

    protected double counter(String name, String... tags) {
        Counter c = meters.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    protected DistributionSummary summary(String name, String... tags) {
        return meters.find(name).tags(tags).summary();
    }

    protected Timer timer(String name, String... tags) {
        return meters.find(name).tags(tags).timer();
    }

    static String completion(String model, String text, long in, long out, long cached) {
        return "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"" + model + "\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"" + text + "\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":" + in + ",\"completion_tokens\":" + out + ",\"total_tokens\":" + (in + out)
                + ",\"prompt_tokens_details\":{\"cached_tokens\":" + cached + "}}}";
    }

    static ScriptedHttpServer.Script answer(String model, String text, long in, long out, long cached) {
        return ex -> ex.respond(200, "application/json", completion(model, text, in, out, cached));
    }

    static ScriptedHttpServer.Script error(int status, String type, String message) {
        return ex -> ex.respond(status, "application/json",
                "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\"}}");
    }
}
