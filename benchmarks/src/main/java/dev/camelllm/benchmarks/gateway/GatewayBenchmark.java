package dev.camelllm.benchmarks.gateway;

import static dev.camelllm.benchmarks.harness.LoadRun.measure;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sun.management.OperatingSystemMXBean;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import dev.camelllm.benchmarks.harness.CpuSteal;
import dev.camelllm.benchmarks.harness.DocSection;
import dev.camelllm.benchmarks.harness.FakeUpstream;
import dev.camelllm.benchmarks.harness.Jit;
import dev.camelllm.benchmarks.harness.LoadRun;
import dev.camelllm.benchmarks.harness.LoadRun.Point;

/**
 * What the gateway adds over calling the upstream directly: the same java.net.http client posts to the fake
 * upstream itself, to the gateway in OpenAI's format and to the gateway in Anthropic's format (translated
 * to the fake's OpenAI format and back), at concurrency 1 and 16; then time to the first byte of a stream,
 * the same three ways; then the gateway's resident memory after a 10-s load. Fake and client share this JVM,
 * the gateway (Camel Main on platform-http) runs in one of its own ({@link GatewayProcess}). Writes its
 * tables into docs/benchmarks.md (see {@link GatewayReport}).
 * Usage: {@code GatewayBenchmark <docs dir>}; {@code -Dbench.seconds=N} per measured point.
 */
public final class GatewayBenchmark {

    static final int[] CONCURRENCY = {1, 16};
    static final int ROUNDS = 2;
    static final int STREAM_CHUNKS = 10;
    static final long STREAM_CHUNK_DELAY_MICROS = 500;
    /** The warm-up ends after a cycle in which the JIT compiled for less than this share of the cycle. */
    static final double JIT_QUIET = 0.02;
    /** Where the JIT does not go quiet (a busy 2-core machine: tens of seconds), the run stays bounded. */
    static final double WARM_UP_MAX_SECONDS = Double.parseDouble(System.getProperty("bench.warmup.max", "60"));

    /**
     * One path at one concurrency, with the gateway's self-reported times (empty for bare), the CPU this JVM
     * (client and fake) spent per request and the CPU the gateway process spent per request.
     */
    record Measured(Point load, Histogram selfReported, long cpuPerRequestNanos, long gatewayCpuPerRequestNanos,
                    long gatewayJitPerRequestNanos) {

        static Measured best(Measured a, Measured b) {
            return Point.best(a.load(), b.load()) == a.load() ? a : b;
        }
    }

    /** How long the warm-up took, and how much the JIT still compiled while the points were measured. */
    record Warmth(double warmUpSeconds, double jitSecondsWhileMeasuring, double measuredSeconds) { }

    /** The gateway process's memory in KiB: idle after start, after the 10-s load, and its peak (VmHWM). */
    record Memory(long rssStartKb, long rssAfterLoadKb, long hwmKb, double loadRps, long loadCpuPerRequestNanos,
                  long loadJitPerRequestNanos, String jvmFlags) { }

    /** The load before the memory figure: OpenAI in, at this concurrency, for this long. */
    static final int MEMORY_LOAD_CONCURRENCY = 16;
    static final double MEMORY_LOAD_SECONDS = 10;

    /** One path's streams, every time in nanoseconds. */
    record Streams(Histogram firstByte, Histogram firstToken, Histogram whole, Histogram selfReported) {

        Streams() {
            this(LoadRun.newHistogram(), LoadRun.newHistogram(), LoadRun.newHistogram(), LoadRun.newHistogram());
        }

        void record(GatewayClient.StreamTimes t) {
            firstByte.recordValue(t.firstByte());
            firstToken.recordValue(t.firstToken());
            whole.recordValue(t.whole());
            if (t.selfReported() >= 0) {
                selfReported.recordValue(t.selfReported());
            }
        }
    }

    private static final OperatingSystemMXBean CPU =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private GatewayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path docs = Path.of(args.length > 0 ? args[0] : "docs");
        double seconds = Double.parseDouble(System.getProperty("bench.seconds", "3"));
        String loadBefore = DocSection.loadAverage();
        CpuSteal stealBefore = CpuSteal.now();
        long t0 = System.nanoTime();

        try (FakeUpstream fake = new FakeUpstream(64, 0, STREAM_CHUNKS, STREAM_CHUNK_DELAY_MICROS);
             GatewayProcess gateway = new GatewayProcess(fake.baseUrl())) {
            long rssStart = gateway.statusKb("VmRSS");
            GatewayClient client = new GatewayClient();
            List<Target> targets = List.of(Target.bare(fake.baseUrl()), Target.gatewayOpenAi(gateway.baseUrl()),
                    Target.gatewayAnthropic(gateway.baseUrl()));
            for (Target t : targets) { // fails fast when a path is miswired
                client.chat(t);
                client.stream(t, STREAM_CHUNKS);
            }

            double warmUpSeconds = warmUp(client, targets, gateway);
            long jitBefore = gateway.jitMillis();
            long measuredFrom = System.nanoTime();
            Map<Target, Map<Integer, Measured>> results = new LinkedHashMap<>();
            for (int round = 0; round < ROUNDS; round++) {
                for (int c : CONCURRENCY) {
                    for (Target t : targets) {
                        Measured m = measureChat(client, t, c, seconds, gateway);
                        System.out.printf("[gateway] round %d  c=%-3d %-36s %8.0f req/s  p50 %7.1f µs  errors %d  "
                                        + "gateway CPU %d µs/request (JIT %d)%n",
                                round, c, t.label(), m.load().rps(), m.load().latency().getValueAtPercentile(50) / 1e3,
                                m.load().errors(), m.gatewayCpuPerRequestNanos() / 1000,
                                m.gatewayJitPerRequestNanos() / 1000);
                        results.computeIfAbsent(t, k -> new LinkedHashMap<>()).merge(c, m, Measured::best);
                    }
                }
            }

            System.out.println("[gateway] streaming: time to first byte");
            Map<Target, Streams> streams = new LinkedHashMap<>();
            for (int round = 0; round < ROUNDS; round++) {
                for (Target t : targets) {
                    Streams s = streams.computeIfAbsent(t, k -> new Streams());
                    measure(() -> s.record(client.stream(t, STREAM_CHUNKS)), 1, seconds / 2);
                }
            }
            Warmth warmth = new Warmth(warmUpSeconds, (gateway.jitMillis() - jitBefore) / 1e3,
                    (System.nanoTime() - measuredFrom) / 1e9);

            System.out.printf("[gateway] memory: %.0f s at c=%d, OpenAI in%n", MEMORY_LOAD_SECONDS,
                    MEMORY_LOAD_CONCURRENCY);
            Measured memLoad = measureChat(client, targets.get(1), MEMORY_LOAD_CONCURRENCY, MEMORY_LOAD_SECONDS,
                    gateway);
            Memory memory = new Memory(rssStart, gateway.statusKb("VmRSS"), gateway.statusKb("VmHWM"),
                    memLoad.load().rps(), memLoad.gatewayCpuPerRequestNanos(),
                    memLoad.gatewayJitPerRequestNanos(), gateway.jvmFlags);
            System.out.printf("[gateway] RSS %d KiB at start, %d KiB after the load, peak %d KiB; gateway CPU %d µs "
                    + "per request during the load, %d µs of it JIT%n", memory.rssStartKb(), memory.rssAfterLoadKb(),
                    memory.hwmKb(), memory.loadCpuPerRequestNanos() / 1000, memory.loadJitPerRequestNanos() / 1000);

            String loadAfter = DocSection.loadAverage();
            double minutes = (System.nanoTime() - t0) / 60e9;
            new GatewayReport(targets, results, streams, warmth, memory, loadBefore, loadAfter,
                    CpuSteal.now().since(stealBefore), seconds, minutes).write(docs);
        }
        System.exit(0); // Vert.x's and the JDK client's threads are not daemons
    }

    /**
     * Runs every path, JSON and streaming, in cycles until two cycles in a row in which the JIT (of this JVM
     * and of the gateway's) compiled for less than {@link #JIT_QUIET} of their time: the gateway's code paths (Vert.x, Camel, Jackson, both formats) take
     * tens of thousands of requests to compile, and a point measured before that measures the JIT.
     *
     * @return the seconds it took
     */
    private static double warmUp(GatewayClient client, List<Target> targets, GatewayProcess gateway)
            throws InterruptedException {
        long start = System.nanoTime();
        int quiet = 0;
        for (int cycle = 1; ; cycle++) {
            long jit = Jit.compileMillis() + gateway.jitMillis();
            long cycleStart = System.nanoTime();
            for (Target t : targets) {
                measureChat(client, t, 16, 1, gateway);
                measure(() -> client.stream(t, STREAM_CHUNKS), 4, 0.5);
            }
            double cycleMillis = (System.nanoTime() - cycleStart) / 1e6;
            long compiled = Jit.compileMillis() + gateway.jitMillis() - jit; // both JVMs' JIT threads
            double elapsed = (System.nanoTime() - start) / 1e9;
            System.out.printf("[gateway] warm-up cycle %d: the JIT compiled for %d ms of %.0f ms%n", cycle, compiled,
                    cycleMillis);
            quiet = compiled < cycleMillis * JIT_QUIET ? quiet + 1 : 0;
            // two quiet cycles in a row: on a busy machine one alone is often a lull between compilations
            if (quiet >= 2 || elapsed > WARM_UP_MAX_SECONDS) {
                return elapsed;
            }
        }
    }

    static Measured measureChat(GatewayClient client, Target target, int concurrency, double seconds,
                                        GatewayProcess gateway) throws InterruptedException {
        Histogram self = new ConcurrentHistogram(LoadRun.newHistogram().getHighestTrackableValue(), 3);
        long cpuBefore = CPU.getProcessCpuTime();
        long gatewayCpuBefore = gateway.cpuNanos();
        long gatewayJitBefore = gateway.jitCpuNanos();
        Point load = measure(() -> {
            long reported = client.chat(target);
            if (reported >= 0) {
                self.recordValue(reported);
            }
        }, concurrency, seconds);
        long requests = Math.max(1, load.latency().getTotalCount() + load.errors());
        return new Measured(load, self, (CPU.getProcessCpuTime() - cpuBefore) / requests,
                (gateway.cpuNanos() - gatewayCpuBefore) / requests, (gateway.jitCpuNanos() - gatewayJitBefore) / requests);
    }
}
