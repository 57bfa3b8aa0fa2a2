package dev.camelllm.component;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.testsupport.CacheRoutes;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static dev.camelllm.testsupport.CacheRoutes.answer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With executionMode=platform (what Java 17 has) a cache lookup runs on the call's pool thread, not on the
 * caller's: the semantic cache embeds the prompt there (milliseconds of ONNX), so the producer hands the
 * caller's thread back at once (process answers false) and completes on a call thread, a hit included.
 */
@Timeout(120)
class CacheLookupThreadTest {

    private static final String EMBED = "llm:e?provider=onnx&modelPath=builtin:all-minilm-l6-v2-q&device=cpu&operation=embed";

    private ScriptedHttpServer upstream;
    private CamelContext context;

    @BeforeEach
    void start() throws Exception {
        upstream = new ScriptedHttpServer();
        context = new DefaultCamelContext();
        LlmComponent llm = new LlmComponent();
        llm.setExecutionMode("platform");
        llm.setPlatformThreads(4);
        context.addComponent("llm", llm);
        context.start();
    }

    @AfterEach
    void stop() throws Exception {
        context.stop();
        upstream.close();
    }

    @Test
    void aSemanticHitIsLookedUpOnACallThreadNotTheCallers() throws Exception {
        String uri = CacheRoutes.chatUri(upstream, "test-key-Thread2Lk", "&semanticCache=true&semanticCacheEmbedUri=RAW("
                + EMBED + ")");
        upstream.then(answer("Settings, then Security."));
        Exchange first = context.createProducerTemplate().request(uri, e -> e.getMessage().setBody("How do I reset my password?"));
        assertThat(first.getException()).isNull();

        AsyncProducer producer = context.getEndpoint(uri).createAsyncProducer();
        producer.start();
        Exchange paraphrase = new DefaultExchange(context);
        paraphrase.getMessage().setBody("How can I reset my password?");
        AtomicReference<String> doneOn = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        boolean sync = producer.process(paraphrase, doneSync -> {
            doneOn.set(Thread.currentThread().getName());
            done.countDown();
        });

        assertThat(sync).as("answered on the caller's thread").isFalse();
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(paraphrase.getException()).isNull();
        assertThat(paraphrase.getMessage().getHeader(LlmConstants.CACHE_HIT_KIND)).isEqualTo("semantic");
        assertThat(paraphrase.getMessage().getBody(String.class)).isEqualTo("Settings, then Security.");
        assertThat(doneOn.get()).startsWith("llm-call-");
        assertThat(upstream.requests()).hasSize(1);
        producer.stop();
    }
}
