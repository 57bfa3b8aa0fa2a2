package dev.camelllm.benchmarks.gateway;

import static dev.camelllm.benchmarks.harness.DocSection.fmt;
import static dev.camelllm.benchmarks.harness.DocSection.ms;
import static dev.camelllm.benchmarks.harness.DocSection.p;
import static dev.camelllm.benchmarks.harness.DocSection.pct;
import static dev.camelllm.benchmarks.harness.DocSection.rps;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

import dev.camelllm.benchmarks.gateway.GatewayBenchmark.Measured;
import dev.camelllm.benchmarks.gateway.GatewayBenchmark.Memory;
import dev.camelllm.benchmarks.gateway.GatewayBenchmark.Streams;
import dev.camelllm.benchmarks.gateway.GatewayBenchmark.Warmth;
import dev.camelllm.benchmarks.harness.DocSection;

/** Writes the gateway figures between the markers in docs/benchmarks.md. */
final class GatewayReport {

    static final String START = "<!-- gateway:begin -->";
    static final String END = "<!-- gateway:end -->";
    static final String COMMAND = "mvn -B -ntp -Pbenchmarks -DskipTests verify -pl benchmarks -am "
            + "-Dbench.local.skip=true -Dbench.overhead.skip=true";

    private final List<Target> targets;
    private final Map<Target, Map<Integer, Measured>> results;
    private final Map<Target, Streams> streams;
    private final Warmth warmth;
    private final Memory memory;
    private final String loadBefore;
    private final String steal;
    private final String loadAfter;
    private final double seconds;
    private final double minutes;

    GatewayReport(List<Target> targets, Map<Target, Map<Integer, Measured>> results, Map<Target, Streams> streams,
                  Warmth warmth, Memory memory, String loadBefore, String loadAfter, String steal, double seconds,
                  double minutes) {
        this.targets = targets;
        this.results = results;
        this.streams = streams;
        this.warmth = warmth;
        this.memory = memory;
        this.loadBefore = loadBefore;
        this.steal = steal;
        this.loadAfter = loadAfter;
        this.seconds = seconds;
        this.minutes = minutes;
    }

    void write(Path docs) throws IOException {
        String section = markdown();
        System.out.println(section);
        Path file = docs.resolve("benchmarks.md");
        DocSection.write(file, START, END, section);
        System.out.println("[gateway] written to " + file);
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("_Written by `GatewayBenchmark` on ").append(LocalDate.now(ZoneOffset.UTC))
                .append("; the next run replaces everything between the markers._\n\n");
        md.append("Machine: ").append(DocSection.machine())
                .append("; fake and client in the harness's JVM (-Xmx1g, G1), the gateway in a JVM of its own (`")
                .append(memory.jvmFlags()).append("`, the same JDK).  \n");
        md.append("Load average (1, 5, 15 min) before: **").append(loadBefore).append("**, after: **")
                .append(loadAfter).append("**; CPU time stolen by the hypervisor during the run: **").append(steal)
                .append("** — the machine is shared with other builds, so treat the figures as "
                        + "noisy; each non-streaming point is the better of ").append(GatewayBenchmark.ROUNDS)
                .append(" rounds.  \n");
        md.append("Command: `").append(COMMAND).append("` (").append(fmt(seconds))
                .append(" s per point, whole run ").append(fmt(minutes)).append(" min).  \n");
        md.append("Warm-up: ").append(fmt(warmth.warmUpSeconds())).append(" s, every path in cycles until the JIT "
                + "(both JVMs) compiled for less than ").append(Math.round(GatewayBenchmark.JIT_QUIET * 100))
                .append(" % of two cycles in a row, or ").append(fmt(GatewayBenchmark.WARM_UP_MAX_SECONDS))
                .append(" s at most; the gateway's JIT then compiled for ").append(fmt(warmth.jitSecondsWhileMeasuring()))
                .append(" s during the ").append(fmt(warmth.measuredSeconds())).append(" s of measured points.\n\n");

        Target bare = targets.get(0);
        md.append("#### Non-streaming\n\n");
        md.append("| path | concurrency | p50 | p99 | requests/s | added p50 | added p99 | req/s vs bare "
                + "| gateway's own p50 | gateway's own p99 | gateway CPU per request | of it JIT "
                + "| gateway CPU less JIT | client + fake CPU per request | errors |\n");
        md.append("| --- |").append(" --- |".repeat(14)).append('\n');
        for (int c : GatewayBenchmark.CONCURRENCY) {
            Measured base = results.get(bare).get(c);
            for (Target t : targets) {
                Measured m = results.get(t).get(c);
                Histogram h = m.load().latency();
                boolean isBare = t == bare;
                md.append("| ").append(t.label()).append(" | ").append(c).append(" | ")
                        .append(ms(p(h, 50))).append(" | ").append(ms(p(h, 99))).append(" | ")
                        .append(rps(m.load().rps())).append(" | ")
                        .append(isBare ? "–" : ms(p(h, 50) - p(base.load().latency(), 50))).append(" | ")
                        .append(isBare ? "–" : ms(p(h, 99) - p(base.load().latency(), 99))).append(" | ")
                        .append(isBare ? "–" : pct(m.load().rps() / base.load().rps() - 1)).append(" | ")
                        .append(selfReported(m.selfReported(), 50)).append(" | ")
                        .append(selfReported(m.selfReported(), 99)).append(" | ")
                        .append(isBare ? "–" : us(m.gatewayCpuPerRequestNanos())).append(" | ")
                        .append(isBare ? "–" : us(m.gatewayJitPerRequestNanos())).append(" | ")
                        .append(isBare ? "–" : us(m.gatewayCpuPerRequestNanos() - m.gatewayJitPerRequestNanos()))
                        .append(" | ")
                        .append(us(m.cpuPerRequestNanos())).append(" | ")
                        .append(m.load().errors()).append(" |\n");
            }
        }
        md.append("\nAdded = the path's figure minus bare's at the same concurrency. Gateway's own = the "
                + "`x-llm-gateway-overhead-ms` header of each answer: the gateway's time less its `llm:` step "
                + "(the upstream call, with the provider's own request and response mapping). Gateway CPU per request "
                + "= the gateway process's CPU time over the point (user + system, all its threads, JIT and GC "
                + "included; /proc/<pid>/stat, 10 ms ticks) divided by the requests; of it JIT = the part its C1 and C2 "
                + "compiler threads spent (/proc/<pid>/task/*/stat), which on a busy machine goes on for minutes "
                + "after start and is start-up cost, not a request's; client + fake = the same for the harness's JVM. CPU grows much less than latency when other builds take the cores. Errors = "
                + "failed requests, left out of the figures (as in the overhead harness, the JDK's HttpServer now "
                + "and then closes a pooled connection just as the client reuses it).\n\n");

        md.append("#### Streaming: time to first byte (").append(GatewayBenchmark.STREAM_CHUNKS)
                .append(" chunks, ").append(GatewayBenchmark.STREAM_CHUNK_DELAY_MICROS)
                .append(" µs apart), concurrency 1\n\n");
        md.append("| path | first byte p50 | first byte p99 | added p50 | added p99 | first token p50 "
                + "| whole stream p50 | gateway's own p50 | gateway's own p99 | streams |\n");
        md.append("| --- |").append(" --- |".repeat(9)).append('\n');
        Streams base = streams.get(bare);
        for (Target t : targets) {
            Streams s = streams.get(t);
            boolean isBare = t == bare;
            md.append("| ").append(t.label()).append(" | ").append(ms(p(s.firstByte(), 50))).append(" | ")
                    .append(ms(p(s.firstByte(), 99))).append(" | ")
                    .append(isBare ? "–" : ms(p(s.firstByte(), 50) - p(base.firstByte(), 50))).append(" | ")
                    .append(isBare ? "–" : ms(p(s.firstByte(), 99) - p(base.firstByte(), 99))).append(" | ")
                    .append(ms(p(s.firstToken(), 50))).append(" | ").append(ms(p(s.whole(), 50))).append(" | ")
                    .append(selfReported(s.selfReported(), 50)).append(" | ")
                    .append(selfReported(s.selfReported(), 99)).append(" | ")
                    .append(s.firstByte().getTotalCount()).append(" |\n");
        }
        md.append("\nFirst byte = the first byte of the body (the first event) as the client reads it; first token ="
                + " the line with the first text delta read; whole stream = until the connection's response ended. "
                + "For a stream the gateway's own time ends when its first event is written.\n\n");

        md.append("#### Gateway process memory\n\n");
        md.append("| when | VmRSS | gateway CPU per request | of it JIT |\n| --- | --- | --- | --- |\n");
        md.append("| started, before any request | ").append(mib(memory.rssStartKb())).append(" | – | – |\n");
        md.append("| after every point above and then ").append(fmt(GatewayBenchmark.MEMORY_LOAD_SECONDS))
                .append(" s of OpenAI in at concurrency ").append(GatewayBenchmark.MEMORY_LOAD_CONCURRENCY)
                .append(" (").append(rps(memory.loadRps())).append(" req/s) | ").append(mib(memory.rssAfterLoadKb()))
                .append(" | ").append(us(memory.loadCpuPerRequestNanos())).append(" | ")
                .append(us(memory.loadJitPerRequestNanos())).append(" |\n");
        md.append("| peak over the run (VmHWM) | ").append(mib(memory.hwmKb())).append(" | – | – |\n");
        md.append("\nFrom the gateway process's /proc/<pid>/status; the heap's share of it is bounded by the "
                + "gateway JVM's -Xmx above. The CPU figure of the 10-s load is the warmest of the run: the JIT has "
                + "had every point above to compile the path.\n");
        return md.toString();
    }

    private static String us(long nanos) {
        return Math.round(nanos / 1e3) + " µs";
    }

    private static String mib(long kb) {
        return Math.round(kb / 1024.0) + " MiB";
    }

    private static String selfReported(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? "–" : ms(p(h, percentile));
    }
}
