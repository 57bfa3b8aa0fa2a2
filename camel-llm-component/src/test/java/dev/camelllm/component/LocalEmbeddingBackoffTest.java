package dev.camelllm.component;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.EmbeddingRequest;
import dev.camelllm.api.EmbeddingResponse;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;
import dev.camelllm.execution.Cancellation;
import dev.camelllm.execution.CallThreads;
import dev.camelllm.provider.onnx.OnnxProviderFactory;
import dev.camelllm.spi.CallContext;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatProviderFactory;
import dev.camelllm.spi.ChatStream;
import dev.camelllm.spi.EmbeddingProvider;
import dev.camelllm.spi.ProviderContext;
import dev.camelllm.spi.ProviderSettings;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A local embedding runs on a platform caller's thread when it would not wait; when that run fails and its
 * retry needs a backoff, the backoff and the attempts left go on on a call thread (a virtual one on JDK 21+)
 * and the exchange completes from there, with its attempts, deadline and cancel signal. The onnx embedder
 * has no retryable failure a test can cause, so a test provider wraps the real built-in model and fails its
 * first run with a retryable PROVIDER error, noting the thread of every attempt.
 */
@Timeout(60)
class LocalEmbeddingBackoffTest {

    private static final String TEXT = "Is it going to snow in Oslo?";
    private static final String MODEL = "model=all-minilm-l6-v2-q&device=cpu&operation=embed";
    private static final String PLAIN = "llm:plain?provider=onnx&" + MODEL;

    private final List<FailsOnce> created = new CopyOnWriteArrayList<>();
    private CamelContext context;
    private LlmComponent llm;

    private void start(String executionMode, int platformThreads) throws Exception {
        context = new DefaultCamelContext();
        llm = new LlmComponent();
        llm.setEnvironment(name -> null);
        llm.setExecutionMode(executionMode);
        llm.setPlatformThreads(platformThreads);
        llm.registerProvider("fails-once", new FailsOnceFactory());
        context.addComponent("llm", llm);
        context.start();
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
    }

    private static String flaky(String name, String resilience) {
        return "llm:" + name + "?provider=fails-once&" + MODEL + "&resilienceGroup=" + name + "&maxRetries=1" + resilience;
    }

    /** Sends one exchange straight to the endpoint's producer, from this (platform) thread. */
    private Sent send(String uri, Cancellation cancellation) throws Exception {
        AsyncProducer producer = context.getEndpoint(uri).createAsyncProducer();
        producer.start();
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(TEXT);
        if (cancellation != null) {
            exchange.setProperty(LlmConstants.CANCELLATION_PROPERTY, cancellation);
        }
        AtomicReference<Thread> doneOn = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        boolean sync = producer.process(exchange, doneSync -> {
            doneOn.set(Thread.currentThread());
            done.countDown();
        });
        return new Sent(exchange, sync, done, doneOn);
    }

    private record Sent(Exchange exchange, boolean sync, CountDownLatch done, AtomicReference<Thread> doneOn) {
        Exchange await() throws InterruptedException {
            assertThat(done.await(30, TimeUnit.SECONDS)).as("the exchange completed").isTrue();
            return exchange;
        }
    }

    @Test
    void aRetryBackoffAfterAFailedLocalRunGoesOnOnACallThread() throws Exception {
        start("auto", 4);
        String uri = flaky("backoff", "&retryInitialDelay=200&retryJitter=0");

        Sent sent = send(uri, null);

        assertThat(sent.sync()).as("completed on the caller's thread").isFalse();
        Exchange out = sent.await();
        assertThat(out.getException()).isNull();
        float[] expected = context.createProducerTemplate().requestBody(PLAIN, TEXT, float[].class);
        assertThat(out.getMessage().getBody(float[].class)).hasSize(384).containsExactly(expected);
        assertThat(out.getMessage().getHeader(LlmConstants.ATTEMPTS)).isEqualTo(2);

        FailsOnce provider = created.get(0);
        assertThat(provider.attempts).hasSize(2);
        Attempt first = provider.attempts.get(0);
        Attempt second = provider.attempts.get(1);
        assertThat(first.thread()).as("the first run is inline, on the caller's thread").isSameAs(Thread.currentThread());
        assertThat(second.thread()).as("the retry, after its backoff").isNotSameAs(Thread.currentThread());
        assertThat(sent.doneOn().get()).isSameAs(second.thread());
        if (CallThreads.virtualThreadsAvailable()) {
            assertThat(second.virtual()).as("a virtual call thread on JDK 21+").isTrue();
        } else {
            assertThat(second.thread().getName()).startsWith("llm-call-");
        }
        assertThat(Duration.ofNanos(second.startNanos() - first.startNanos())).as("the backoff was waited")
                .isGreaterThanOrEqualTo(Duration.ofMillis(200));
        await().atMost(Duration.ofSeconds(10)).until(() -> llm.calls().open() == 0);
    }

    @Test
    void aRetryWithoutABackoffStaysOnTheCallersThread() throws Exception {
        start("auto", 4);

        Sent sent = send(flaky("no-backoff", "&retryInitialDelay=0"), null);

        assertThat(sent.sync()).as("nothing to wait for: no hand-off").isTrue();
        Exchange out = sent.await();
        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getHeader(LlmConstants.ATTEMPTS)).isEqualTo(2);
        assertThat(created.get(0).attempts).extracting(Attempt::thread)
                .containsExactly(Thread.currentThread(), Thread.currentThread());
        assertThat(llm.calls().open()).isZero();
    }

    @Test
    void aCancelWakesTheBackoffOnTheCallThread() throws Exception {
        start("auto", 4);
        Cancellation cancellation = new Cancellation();

        Sent sent = send(flaky("cancelled", "&retryInitialDelay=30000&retryJitter=0&deadline=60000"), cancellation);
        assertThat(sent.sync()).isFalse();
        long cancelled = System.nanoTime();
        cancellation.cancel("the client went away");
        Exchange out = sent.await();

        assertThat(Duration.ofNanos(System.nanoTime() - cancelled)).as("not the 30 s backoff").isLessThan(Duration.ofSeconds(10));
        assertThat(out.getException()).isInstanceOf(LlmException.class).hasMessageContaining("the client went away");
        assertThat(((LlmException) out.getException()).kind()).isEqualTo(ErrorKind.CANCELLED);
        assertThat(created.get(0).attempts).as("no attempt after the cancel").hasSize(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> llm.calls().open() == 0);
    }

    @Test
    void aFullCallPoolShedsTheRetryInsteadOfWaitingOnTheCaller() throws Exception {
        String answer = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"m\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"Hello\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}";
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (ScriptedHttpServer upstream = new ScriptedHttpServer()) {
            upstream.then(ex -> {
                arrived.countDown();
                ex.await(release, 30);
                ex.respond(200, "application/json", answer);
            });
            start("platform", 1);
            // the pool's one thread waits for this chat answer
            Future<Exchange> busy = context.createProducerTemplate().asyncSend("llm:chat?provider=openai-compatible&model=m"
                    + "&baseUrl=" + upstream.baseUrl() + "/v1&maxRetries=0&stream=false", e -> e.getMessage().setBody("Hi"));
            assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();

            Sent sent = send(flaky("shed", "&retryInitialDelay=200"), null);

            assertThat(sent.sync()).as("shed at once, on the caller's thread").isTrue();
            Exchange out = sent.await();
            assertThat(out.getException()).isInstanceOf(LlmException.class).hasMessageContaining("platformThreads");
            assertThat(((LlmException) out.getException()).kind()).isEqualTo(ErrorKind.OVERLOADED);
            assertThat(created.get(0).attempts).hasSize(1);
            release.countDown();
            assertThat(busy.get(10, TimeUnit.SECONDS).getMessage().getBody(String.class)).isEqualTo("Hello");
            assertThat(llm.calls().open()).as("the shed call gave its place back").isZero();
        }
    }

    private record Attempt(Thread thread, boolean virtual, long startNanos) {
    }

    /** Creates {@link FailsOnce} around the onnx provider's real embedding model; unloads it on close. */
    private final class FailsOnceFactory implements ChatProviderFactory {

        private final OnnxProviderFactory onnx = new OnnxProviderFactory();

        @Override
        public String name() {
            return "fails-once";
        }

        @Override
        public ChatProvider create(ProviderSettings settings, ProviderContext providerContext) {
            FailsOnce provider = new FailsOnce(onnx.create(settings, providerContext));
            created.add(provider);
            return provider;
        }

        @Override
        public void close() {
            onnx.close();
        }
    }

    /** The real local embedder, whose first run fails retryably; notes each attempt's thread. */
    private static final class FailsOnce implements ChatProvider, EmbeddingProvider {

        private final ChatProvider model;
        private final EmbeddingProvider embedder;
        final List<Attempt> attempts = new CopyOnWriteArrayList<>();

        FailsOnce(ChatProvider model) {
            this.model = model;
            this.embedder = (EmbeddingProvider) model;
        }

        @Override
        public EmbeddingResponse embed(EmbeddingRequest request, CallContext call) {
            attempts.add(new Attempt(Thread.currentThread(), CallThreads.onVirtualThread(), System.nanoTime()));
            if (attempts.size() == 1) {
                throw new LlmException(ErrorKind.PROVIDER, name(), model(), "the first run fails (test)");
            }
            return embedder.embed(request, call);
        }

        @Override
        public boolean inProcess() {
            return embedder.inProcess();
        }

        @Override
        public boolean startsAtOnce() {
            return embedder.startsAtOnce();
        }

        @Override
        public int maxBatchSize() {
            return embedder.maxBatchSize();
        }

        @Override
        public int dimensions() {
            return embedder.dimensions();
        }

        @Override
        public String name() {
            return "fails-once";
        }

        @Override
        public String model() {
            return model.model();
        }

        @Override
        public ChatResponse chat(ChatRequest request, CallContext call) {
            return model.chat(request, call);
        }

        @Override
        public ChatStream stream(ChatRequest request, CallContext call) {
            return model.stream(request, call);
        }

        @Override
        public void close() {
            model.close();
        }
    }
}
