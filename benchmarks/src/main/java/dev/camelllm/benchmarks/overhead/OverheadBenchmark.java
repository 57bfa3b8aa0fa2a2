package dev.camelllm.benchmarks.overhead;

import static dev.camelllm.benchmarks.harness.LoadRun.measure;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.langchain4j.model.openai.OpenAiChatModel;
import org.HdrHistogram.Histogram;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

import dev.camelllm.benchmarks.harness.CpuSteal;
import dev.camelllm.benchmarks.harness.DocSection;
import dev.camelllm.benchmarks.harness.FakeUpstream;
import dev.camelllm.benchmarks.harness.LoadRun.Call;
import dev.camelllm.benchmarks.harness.LoadRun.Point;
import dev.camelllm.component.LlmComponent;
import dev.camelllm.execution.CallThreads;

/**
 * Our overhead over a bare HTTP client and over camel-langchain4j-chat, on the same fake upstream, in one
 * JVM and one run: latency at concurrency 1, requests per second at 1, 16 and 64, time to first token of a
 * stream, and heap per 1,000 open streams. Writes its tables into docs/benchmarks.md (see {@link Report}).
 * Usage: {@code OverheadBenchmark <docs dir>}; {@code -Dbench.seconds=N} per measured point.
 */
public final class OverheadBenchmark {

    static final int[] CONCURRENCY = {1, 16, 64};
    static final int ROUNDS = 2;
    static final int HELD_STREAMS = 1000;
    static final int STREAM_CHUNKS = 20;
    static final long STREAM_CHUNK_DELAY_MICROS = 200;

    private OverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path docs = Path.of(args.length > 0 ? args[0] : "docs");
        double seconds = Double.parseDouble(System.getProperty("bench.seconds", "3"));
        String loadBefore = DocSection.loadAverage();
        CpuSteal stealBefore = CpuSteal.now();
        long t0 = System.nanoTime();

        try (FakeUpstream fake = new FakeUpstream(128, 0, STREAM_CHUNKS, STREAM_CHUNK_DELAY_MICROS);
             FakeUpstream holder = new FakeUpstream(HELD_STREAMS + 16, 0, 5, 0); // a thread per held stream
             Clients bare = new Clients(fake.baseUrl());
             Clients bareHeld = new Clients(holder.baseUrl())) {
            CamelContext camel = camel(fake.baseUrl(), holder.baseUrl());
            ProducerTemplate template = camel.createProducerTemplate();

            // endpoints resolved once, as a route's are: a ProducerTemplate given a URI string parses and
            // normalises it on every call (URISupport), about 15 µs of CPU a request here, which is Camel's
            // API and not the component (the same for every Camel client below)
            Endpoint llmRoute = camel.getEndpoint("direct:llm");
            Endpoint lc4jRoute = camel.getEndpoint("direct:lc4j");
            Map<String, Call> clients = new LinkedHashMap<>();
            clients.put("bare HttpClient 5", bare::hc5Chat);
            clients.put("bare java.net.http", bare::jdkChat);
            if (CallThreads.virtualThreadsAvailable()) {
                clients.put(Report.BARE_VIRTUAL, bare::hc5Chat);
            }
            clients.put("llm: route", () -> expect(template.requestBody(llmRoute, Clients.PROMPT, String.class)));
            // on JDK 21+ also from virtual threads, as a Camel app with camel.threads.virtual.enabled calls it:
            // the producer then runs the call on its caller's thread instead of handing it to a new one
            if (CallThreads.virtualThreadsAvailable()) {
                clients.put(Report.LLM_VIRTUAL, () -> expect(template.requestBody(llmRoute, Clients.PROMPT,
                        String.class)));
            }
            clients.put("camel-langchain4j-chat", () -> expect(template.requestBody(lc4jRoute, Clients.PROMPT,
                    String.class)));
            for (Map.Entry<String, Call> c : clients.entrySet()) {
                c.getValue().call(); // fails fast when a client is miswired
            }

            System.out.println("[overhead] warm-up");
            for (Map.Entry<String, Call> c : clients.entrySet()) {
                measure(c.getValue(), 16, Math.max(2, seconds), threads(c.getKey()));
                measure(c.getValue(), 1, 1, threads(c.getKey()));
            }
            Map<String, Map<Integer, Point>> results = new LinkedHashMap<>();
            for (int round = 0; round < ROUNDS; round++) {
                for (int c : CONCURRENCY) {
                    for (Map.Entry<String, Call> e : clients.entrySet()) {
                        Point p = measure(e.getValue(), c, seconds, threads(e.getKey()));
                        System.out.printf("[overhead] round %d  c=%-3d %-24s %9.0f req/s  p50 %7.1f µs  errors %d%n",
                                round, c, e.getKey(), p.rps(), p.latency().getValueAtPercentile(50) / 1e3, p.errors());
                        results.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>()).merge(c, p, Point::best);
                    }
                }
            }

            System.out.println("[overhead] streaming: time to first token");
            Histogram bareTtft = new Histogram(3);
            Histogram llmTtft = new Histogram(3);
            Call bareT = () -> bareTtft.recordValue(bare.hc5StreamFirstToken());
            Call llmT = () -> llmTtft.recordValue(llmFirstToken(template));
            measure(bareT, 1, 2);
            measure(llmT, 1, 2);
            bareTtft.reset();
            llmTtft.reset();
            for (int round = 0; round < ROUNDS; round++) {
                measure(bareT, 1, seconds / 2);
                measure(llmT, 1, seconds / 2);
            }

            System.out.println("[overhead] heap per " + HELD_STREAMS + " open streams");
            long bareHeap = heldHeapBare(bareHeld, holder);
            long llmHeap = heldHeapLlm(camel, holder);

            camel.stop();
            String loadAfter = DocSection.loadAverage();
            double minutes = (System.nanoTime() - t0) / 60e9;
            new Report(results, bareTtft, llmTtft, bareHeap, llmHeap, loadBefore, loadAfter,
                    CpuSteal.now().since(stealBefore), seconds, minutes)
                    .write(docs);
        }
        System.exit(0); // langchain4j's and the JDK client's threads are not daemons
    }

    /** The load threads of a client: virtual for the two virtual-thread rows, else platform threads. */
    private static ThreadFactory threads(String client) {
        return Report.LLM_VIRTUAL.equals(client) || Report.BARE_VIRTUAL.equals(client)
                ? CallThreads.virtualThreadFactory("bench-v") : null;
    }

    private static void expect(String text) {
        if (text == null || !text.startsWith("Hello")) {
            throw new IllegalStateException("unexpected answer: " + text);
        }
    }

    static CamelContext camel(String base, String holdBase) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        LlmComponent llm = new LlmComponent();
        llm.setMaxConnections(4096);
        llm.setMaxConnectionsPerRoute(4096);
        // on Java 17 each held stream takes a call thread: the bounded pool (default 200) would shed the rest
        llm.setPlatformThreads(HELD_STREAMS + 16);
        camel.addComponent("llm", llm);
        camel.getRegistry().bind("lc4jModel", OpenAiChatModel.builder()
                .baseUrl(base + "/v1").apiKey("k").modelName("m").maxRetries(0)
                // HTTP/1.1 like every other client here (its default HTTP/2 sends an h2c upgrade on plain http)
                .httpClientBuilder(new JdkHttpClientBuilder().httpClientBuilder(
                        java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)))
                .build());
        // retry, rate limiter and bulkhead on, with limits that a benchmark never reaches
        String guards = "&maxRetries=2&rateLimitPerMinute=10000000&maxConcurrentRequests=100000";
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:llm")
                        .to("llm:bench?provider=openai&baseUrl=" + base + "/v1&apiKey=k&model=m" + guards);
                from("direct:stream")
                        .to("llm:benchStream?provider=openai&baseUrl=" + base + "/v1&apiKey=k&model=m&stream=true" + guards)
                        .split(body()).streaming()
                            .process(OverheadBenchmark::stampFirst)
                        .end();
                from("direct:hold")
                        .to("llm:benchHold?provider=openai&baseUrl=" + holdBase + "/v1&apiKey=k&model=hold&stream=true"
                                + guards)
                        .split(body()).streaming()
                            .process(OverheadBenchmark::stampFirst)
                        .end();
                from("direct:lc4j")
                        .to("langchain4j-chat:bench?chatModel=#lc4jModel&chatOperation=CHAT_SINGLE_MESSAGE");
            }
        });
        camel.start();
        return camel;
    }

    /** The first chunk of a split stream: hands the time to whoever waits for it. */
    private static void stampFirst(Exchange chunk) {
        Integer index = chunk.getProperty(Exchange.SPLIT_INDEX, Integer.class);
        if (index != null && index == 0) {
            FirstToken first = chunk.getMessage().getHeader(FirstToken.HEADER, FirstToken.class);
            if (first != null) {
                first.stamp();
            }
        }
    }

    /** Shared by the exchange and its split copies (headers are copied by reference). */
    static final class FirstToken {
        static final String HEADER = "BenchFirstToken";
        final AtomicReference<Long> at = new AtomicReference<>();
        final CountDownLatch latch;

        FirstToken(CountDownLatch latch) {
            this.latch = latch;
        }

        void stamp() {
            if (at.compareAndSet(null, System.nanoTime()) && latch != null) {
                latch.countDown();
            }
        }
    }

    private static long llmFirstToken(ProducerTemplate template) {
        FirstToken first = new FirstToken(null);
        long start = System.nanoTime();
        Exchange done = template.send("direct:stream", ex -> {
            ex.getMessage().setBody(Clients.PROMPT);
            ex.getMessage().setHeader(FirstToken.HEADER, first);
        });
        if (done.getException() != null) {
            throw new IllegalStateException(done.getException());
        }
        return first.at.get() - start;
    }

    private static long heldHeapBare(Clients bare, FakeUpstream holder) throws Exception {
        long baseline = usedHeapAfterGc();
        List<Clients.Held> open = new ArrayList<>();
        for (int i = 0; i < HELD_STREAMS; i++) {
            open.add(bare.hc5OpenHeld());
        }
        long used = usedHeapAfterGc();
        holder.releaseHeld();
        for (Clients.Held h : open) {
            Clients.drain(h);
        }
        return used - baseline;
    }

    private static long heldHeapLlm(CamelContext camel, FakeUpstream holder) throws Exception {
        AsyncProducer producer = camel.getEndpoint("direct:hold").createAsyncProducer();
        producer.start();
        // a first stream, so that the worker pool and the route exist before the baseline
        CountDownLatch one = new CountDownLatch(1);
        Exchange warm = holdExchange(camel, new FirstToken(one));
        CountDownLatch warmDone = new CountDownLatch(1);
        producer.process(warm, sync -> warmDone.countDown());
        if (!one.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no first chunk");
        }
        holder.releaseHeld();
        warmDone.await(30, TimeUnit.SECONDS);

        long baseline = usedHeapAfterGc();
        CountDownLatch firsts = new CountDownLatch(HELD_STREAMS);
        CountDownLatch done = new CountDownLatch(HELD_STREAMS);
        List<Exchange> exchanges = new ArrayList<>();
        for (int i = 0; i < HELD_STREAMS; i++) {
            Exchange ex = holdExchange(camel, new FirstToken(firsts));
            exchanges.add(ex);
            producer.process(ex, sync -> done.countDown());
        }
        if (!firsts.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("only " + (HELD_STREAMS - firsts.getCount()) + " streams opened");
        }
        long used = usedHeapAfterGc();
        holder.releaseHeld();
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("held streams did not finish");
        }
        for (Exchange ex : exchanges) {
            if (ex.getException() != null) {
                throw new IllegalStateException(ex.getException());
            }
        }
        producer.stop();
        return used - baseline;
    }

    private static Exchange holdExchange(CamelContext camel, FirstToken first) {
        Exchange ex = new DefaultExchange(camel);
        ex.getMessage().setBody(Clients.PROMPT);
        ex.getMessage().setHeader(FirstToken.HEADER, first);
        return ex;
    }

    static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
