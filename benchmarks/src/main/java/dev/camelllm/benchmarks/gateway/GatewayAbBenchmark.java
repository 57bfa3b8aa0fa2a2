package dev.camelllm.benchmarks.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.camelllm.benchmarks.harness.CpuSteal;
import dev.camelllm.benchmarks.harness.FakeUpstream;

/**
 * Two builds of the gateway side by side: A and B, each in a JVM of its own on its own classpath, against one
 * fake, loaded in short alternating slices (OpenAI in, JSON, concurrency 16), A B B A, so that both see the
 * same machine. On a shared virtual machine whose speed moves by tens of per cent within minutes, two runs of
 * {@link GatewayBenchmark} one after the other cannot tell a change of a few per cent from the machine.
 *
 * <p>Usage: {@code GatewayAbBenchmark <classpath A> <classpath B> [pairs]} (each classpath holds its build's
 * jars and this module's classes); {@code -Dbench.seconds=N} per slice (default 2); {@code -Dbench.gateway.jvm}
 * sets both gateways' JVM flags, {@code -Dbench.gateway.jvm.a} and {@code .b} add flags to one of them (a
 * setting tried on one build). Prints each slice and the medians of the gateway CPU per request; writes nothing
 * into the docs.
 */
public final class GatewayAbBenchmark {

    private static final int CONCURRENCY = 16;
    private static final double WARM_UP_MAX_SECONDS = Double.parseDouble(System.getProperty("bench.warmup.max", "120"));

    private GatewayAbBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: GatewayAbBenchmark <classpath A> <classpath B> [pairs]");
        }
        int pairs = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        double seconds = Double.parseDouble(System.getProperty("bench.seconds", "2"));
        try (FakeUpstream fake = new FakeUpstream(64, 0, GatewayBenchmark.STREAM_CHUNKS,
                GatewayBenchmark.STREAM_CHUNK_DELAY_MICROS);
             GatewayProcess a = new GatewayProcess(args[0], System.getProperty("bench.gateway.jvm.a", ""),
                     fake.baseUrl(), null, null);
             GatewayProcess b = new GatewayProcess(args[1], System.getProperty("bench.gateway.jvm.b", ""),
                     fake.baseUrl(), null, null)) {
            GatewayClient client = new GatewayClient();
            Target ta = Target.gatewayOpenAi(a.baseUrl());
            Target tb = Target.gatewayOpenAi(b.baseUrl());
            client.chat(ta); // fails fast when a build is miswired
            client.chat(tb);
            warmUp(client, ta, a, tb, b);

            List<Long> cpuA = new ArrayList<>();
            List<Long> cpuB = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            CpuSteal stealBefore = CpuSteal.now();
            for (int pair = 0; pair < pairs; pair++) {
                boolean aFirst = pair % 2 == 0; // A B, then B A: neither always follows the other
                GatewayBenchmark.Measured first = slice(client, aFirst ? ta : tb, aFirst ? a : b, seconds);
                GatewayBenchmark.Measured second = slice(client, aFirst ? tb : ta, aFirst ? b : a, seconds);
                GatewayBenchmark.Measured ma = aFirst ? first : second;
                GatewayBenchmark.Measured mb = aFirst ? second : first;
                cpuA.add(ma.gatewayCpuPerRequestNanos());
                cpuB.add(mb.gatewayCpuPerRequestNanos());
                ratios.add((double) mb.gatewayCpuPerRequestNanos() / ma.gatewayCpuPerRequestNanos());
                System.out.printf(Locale.ROOT, "[ab] pair %2d  A %5.0f req/s %4d µs (JIT %3d)   B %5.0f req/s %4d µs "
                                + "(JIT %3d)   B/A %.3f%n", pair, ma.load().rps(), ma.gatewayCpuPerRequestNanos() / 1000,
                        ma.gatewayJitPerRequestNanos() / 1000, mb.load().rps(), mb.gatewayCpuPerRequestNanos() / 1000,
                        mb.gatewayJitPerRequestNanos() / 1000, ratios.get(ratios.size() - 1));
            }
            System.out.printf(Locale.ROOT, "[ab] gateway CPU per request, OpenAI in, c=%d, %d pairs of %.0f-s slices: "
                            + "median A %d µs, median B %d µs, median B/A %.3f (quartiles %.3f … %.3f); CPU steal %s%n",
                    CONCURRENCY, pairs, seconds, median(cpuA) / 1000, median(cpuB) / 1000, quantile(ratios, 0.5),
                    quantile(ratios, 0.25), quantile(ratios, 0.75), CpuSteal.now().since(stealBefore));
        }
        System.exit(0); // Vert.x's and the JDK client's threads are not daemons
    }

    private static GatewayBenchmark.Measured slice(GatewayClient client, Target target, GatewayProcess gateway,
                                                   double seconds) throws InterruptedException {
        return GatewayBenchmark.measureChat(client, target, CONCURRENCY, seconds, gateway);
    }

    /** Both builds in turn until neither's JIT compiled for more than 2 % of two slices in a row. */
    private static void warmUp(GatewayClient client, Target ta, GatewayProcess a, Target tb, GatewayProcess b)
            throws InterruptedException {
        long start = System.nanoTime();
        int quiet = 0;
        while (quiet < 2 && (System.nanoTime() - start) / 1e9 < WARM_UP_MAX_SECONDS) {
            long jit = a.jitMillis() + b.jitMillis();
            long sliceStart = System.nanoTime();
            slice(client, ta, a, 2);
            slice(client, tb, b, 2);
            double millis = (System.nanoTime() - sliceStart) / 1e6;
            long compiled = a.jitMillis() + b.jitMillis() - jit;
            System.out.printf(Locale.ROOT, "[ab] warm-up: the gateways' JIT compiled for %d ms of %.0f ms%n", compiled,
                    millis);
            quiet = compiled < millis * GatewayBenchmark.JIT_QUIET ? quiet + 1 : 0;
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private static double quantile(List<Double> values, double q) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get((int) Math.min(sorted.size() - 1, Math.round(q * (sorted.size() - 1))));
    }
}
