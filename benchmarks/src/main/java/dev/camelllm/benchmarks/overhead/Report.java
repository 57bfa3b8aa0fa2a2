package dev.camelllm.benchmarks.overhead;

import static dev.camelllm.benchmarks.harness.DocSection.fmt;
import static dev.camelllm.benchmarks.harness.DocSection.ms;
import static dev.camelllm.benchmarks.harness.DocSection.p;
import static dev.camelllm.benchmarks.harness.DocSection.pct;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

import dev.camelllm.benchmarks.harness.DocSection;
import dev.camelllm.benchmarks.harness.LoadRun;

/** Writes the overhead figures between the markers in docs/benchmarks.md, and a bar chart beside it. */
final class Report {

    static final String START = "<!-- overhead:start -->";
    static final String END = "<!-- overhead:end -->";
    static final String CHART = "benchmarks-overhead.png";
    static final String BARE = "bare HttpClient 5";
    static final String LLM = "llm: route";
    /** The same route called from virtual threads (JDK 21+ only). */
    static final String LLM_VIRTUAL = "llm: route, virtual-thread callers";
    /**
     * Bare HttpClient 5 called from virtual threads (JDK 21+ only): what the same calls cost on the kind of
     * thread the virtual-thread route runs them on, so that the JDK's share (a parked virtual thread per
     * blocking read) and ours can be told apart.
     */
    static final String BARE_VIRTUAL = "bare HttpClient 5, virtual-thread callers";
    /** The targets: requests per second within this share of bare at c=16 and 64, added p50 at c=1. */
    static final double RPS_WITHIN = 0.25;
    static final double ADDED_P50_NANOS = 100_000;
    static final String LC4J = "camel-langchain4j-chat";
    static final String COMMAND = "mvn -B -ntp -Pbenchmarks -DskipTests verify -pl benchmarks -am -Dbench.local.skip=true";

    private final Map<String, Map<Integer, LoadRun.Point>> results;
    private final Histogram bareTtft;
    private final Histogram llmTtft;
    private final long bareHeap;
    private final long llmHeap;
    private final String loadBefore;
    private final String loadAfter;
    private final String steal;
    private final double seconds;
    private final double minutes;

    Report(Map<String, Map<Integer, LoadRun.Point>> results, Histogram bareTtft, Histogram llmTtft,
           long bareHeap, long llmHeap, String loadBefore, String loadAfter, String steal, double seconds,
           double minutes) {
        this.results = results;
        this.bareTtft = bareTtft;
        this.llmTtft = llmTtft;
        this.bareHeap = bareHeap;
        this.llmHeap = llmHeap;
        this.loadBefore = loadBefore;
        this.loadAfter = loadAfter;
        this.steal = steal;
        this.seconds = seconds;
        this.minutes = minutes;
    }

    void write(Path docs) throws IOException {
        boolean chart = chart(docs.resolve(CHART));
        String section = markdown(chart);
        System.out.println(section);
        Path file = docs.resolve("benchmarks.md");
        DocSection.write(file, START, END, section);
        System.out.println("[overhead] written to " + file);
    }

    String markdown(boolean chart) {
        StringBuilder md = new StringBuilder();
        md.append("_Written by `OverheadBenchmark` on ").append(LocalDate.now(ZoneOffset.UTC))
                .append("; the next run replaces everything between the markers._\n\n");
        md.append("Machine: ").append(DocSection.machine()).append(", heap -Xmx1g (G1).  \n");
        md.append("Load average (1, 5, 15 min) before: **").append(loadBefore).append("**, after: **")
                .append(loadAfter).append("**; CPU time stolen by the hypervisor during the run: **").append(steal)
                .append("** — the machine is shared with other builds, so treat the figures as "
                        + "noisy; each point is the better of ").append(OverheadBenchmark.ROUNDS)
                .append(" rounds.  \n");
        md.append("Command: `").append(COMMAND).append("` (").append(fmt(seconds))
                .append(" s per point, whole run ").append(fmt(minutes)).append(" min).\n\n");

        md.append("#### Non-streaming latency, concurrency 1\n\n");
        md.append("| client | mean | p50 | p99 | added mean | added p50 | added p99 |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- |\n");
        Histogram bare = results.get(BARE).get(1).latency();
        for (Map.Entry<String, Map<Integer, LoadRun.Point>> e : results.entrySet()) {
            Histogram h = e.getValue().get(1).latency();
            md.append("| ").append(e.getKey()).append(" | ").append(ms(h.getMean())).append(" | ")
                    .append(ms(p(h, 50))).append(" | ").append(ms(p(h, 99))).append(" | ")
                    .append(e.getKey().equals(BARE) ? "–" : ms(h.getMean() - bare.getMean())).append(" | ")
                    .append(e.getKey().equals(BARE) ? "–" : ms(p(h, 50) - p(bare, 50))).append(" | ")
                    .append(e.getKey().equals(BARE) ? "–" : ms(p(h, 99) - p(bare, 99))).append(" |\n");
        }
        md.append("\nAdded = the client's figure minus bare HttpClient 5's (the library our transport uses).\n\n");

        md.append("#### Requests per second\n\n");
        md.append("| client |");
        for (int c : OverheadBenchmark.CONCURRENCY) {
            md.append(" c=").append(c).append(" |");
        }
        for (int c : OverheadBenchmark.CONCURRENCY) {
            md.append(" vs bare, c=").append(c).append(" |");
        }
        md.append(" errors |\n| --- |").append(" --- |".repeat(OverheadBenchmark.CONCURRENCY.length * 2 + 1)).append('\n');
        for (Map.Entry<String, Map<Integer, LoadRun.Point>> e : results.entrySet()) {
            md.append("| ").append(e.getKey()).append(" |");
            for (int c : OverheadBenchmark.CONCURRENCY) {
                md.append(' ').append(DocSection.rps(e.getValue().get(c).rps())).append(" |");
            }
            for (int c : OverheadBenchmark.CONCURRENCY) {
                md.append(' ').append(pct(ratio(e.getKey(), c) - 1)).append(" |");
            }
            long errors = 0;
            for (LoadRun.Point p : e.getValue().values()) {
                errors += p.errors();
            }
            md.append(' ').append(errors).append(" |\n");
        }
        md.append("\nErrors: failed requests in the kept rounds, left out of the figures (the JDK's HttpServer now and "
                + "then closes a pooled connection just as a `java.net.http` client reuses it).\n");

        md.append("\n#### Streaming: time to first token (").append(OverheadBenchmark.STREAM_CHUNKS)
                .append(" chunks, ").append(OverheadBenchmark.STREAM_CHUNK_DELAY_MICROS)
                .append(" µs apart), concurrency 1\n\n");
        md.append("| client | mean | p50 | p99 | samples |\n| --- | --- | --- | --- | --- |\n");
        md.append("| bare SSE read (HttpClient 5 + BufferedReader + Jackson) | ").append(ms(bareTtft.getMean()))
                .append(" | ").append(ms(p(bareTtft, 50))).append(" | ").append(ms(p(bareTtft, 99))).append(" | ")
                .append(bareTtft.getTotalCount()).append(" |\n");
        md.append("| `llm:` stream=true → split(body()).streaming(), first chunk in the split | ")
                .append(ms(llmTtft.getMean())).append(" | ").append(ms(p(llmTtft, 50))).append(" | ")
                .append(ms(p(llmTtft, 99))).append(" | ").append(llmTtft.getTotalCount()).append(" |\n");
        md.append("| overhead | ").append(ms(llmTtft.getMean() - bareTtft.getMean())).append(" | ")
                .append(ms(ttftOverhead())).append(" | ").append(ms(p(llmTtft, 99) - p(bareTtft, 99)))
                .append(" | |\n");
        md.append("\ncamel-langchain4j-chat 4.17.0 has no streaming operation (only CHAT_SINGLE_MESSAGE, "
                + "CHAT_SINGLE_MESSAGE_WITH_PROMPT, CHAT_MULTIPLE_MESSAGES), so it has no figure here nor below.\n\n");

        md.append("#### Heap per ").append(String.format(Locale.ROOT, "%,d", OverheadBenchmark.HELD_STREAMS))
                .append(" open streams\n\n");
        md.append("Used heap after `System.gc()` with the streams held open by the fake (first chunk read), minus "
                + "the same before; the fake's own per-connection objects are in both.\n\n");
        md.append("| client | heap | per stream |\n| --- | --- | --- |\n");
        md.append("| bare HttpClient 5 (responses kept, no thread per stream) | ").append(mib(bareHeap)).append(" | ")
                .append(kib(bareHeap / OverheadBenchmark.HELD_STREAMS)).append(" |\n");
        md.append("| `llm:` route (one exchange and one worker thread per stream, blocked in the split) | ")
                .append(mib(llmHeap)).append(" | ").append(kib(llmHeap / OverheadBenchmark.HELD_STREAMS))
                .append(" |\n");
        md.append("| ours over bare | ").append(mib(llmHeap - bareHeap)).append(" | ")
                .append(kib((llmHeap - bareHeap) / OverheadBenchmark.HELD_STREAMS)).append(" |\n\n");

        md.append("#### Against the goals\n\n");
        for (String llm : List.of(LLM, LLM_VIRTUAL)) {
            if (!results.containsKey(llm)) {
                continue;
            }
            double addedP50 = p(results.get(llm).get(1).latency(), 50) - p(bare, 50);
            md.append("- ").append(llm).append(": added latency at p50, concurrency 1, at most ")
                    .append(ms(ADDED_P50_NANOS)).append(": ").append(verdict(addedP50 <= ADDED_P50_NANOS,
                            ms(addedP50), ms(addedP50 - ADDED_P50_NANOS))).append('\n');
            md.append("- ").append(llm).append(": requests per second within ").append(Math.round(RPS_WITHIN * 100))
                    .append(" % of bare at c=16 and c=64:");
            for (int c : OverheadBenchmark.CONCURRENCY) {
                if (c == 1) {
                    continue;
                }
                double r = ratio(llm, c) - 1;
                md.append(" c=").append(c).append(' ').append(pct(r)).append(r >= -RPS_WITHIN ? " (met)"
                        : " (missed by " + pct(-RPS_WITHIN - r).replace("+", "") + " points)").append(';');
            }
            md.setLength(md.length() - 1);
            md.append('\n');
        }
        if (results.containsKey(LLM_VIRTUAL) && results.containsKey(BARE_VIRTUAL)) {
            // not a goal: the same comparison with both sides on virtual threads splits the gap above
            md.append("- Not a goal, for the reading: ").append(LLM_VIRTUAL).append(" against ").append(BARE_VIRTUAL)
                    .append(" (the same kind of caller thread):");
            for (int c : OverheadBenchmark.CONCURRENCY) {
                md.append(" c=").append(c).append(' ').append(pct(results.get(LLM_VIRTUAL).get(c).rps()
                        / results.get(BARE_VIRTUAL).get(c).rps() - 1)).append(';');
            }
            md.setLength(md.length() - 1);
            md.append('\n');
        }
        md.append("- Time-to-first-token overhead under 1 ms (p50): ").append(verdict(ttftOverhead() < 1_000_000,
                ms(ttftOverhead()), ms(ttftOverhead() - 1_000_000))).append('\n');
        List<String> behind = new ArrayList<>();
        Histogram ours = results.get(LLM).get(1).latency();
        Histogram theirs = results.get(LC4J).get(1).latency();
        if (ours.getMean() >= theirs.getMean()) {
            behind.add("mean latency");
        }
        if (p(ours, 50) >= p(theirs, 50)) {
            behind.add("p50");
        }
        if (p(ours, 99) >= p(theirs, 99)) {
            behind.add("p99");
        }
        for (int c : OverheadBenchmark.CONCURRENCY) {
            if (results.get(LLM).get(c).rps() <= results.get(LC4J).get(c).rps()) {
                behind.add("req/s at c=" + c);
            }
        }
        md.append("- Ahead of camel-langchain4j-chat on every figure: ")
                .append(behind.isEmpty() ? "met on latency (mean, p50, p99) and req/s at every concurrency"
                        : "missed on " + String.join(", ", behind))
                .append(" (streaming and heap: no langchain4j figure to compare).\n");
        if (chart) {
            md.append("\n![requests per second by client and concurrency](").append(CHART).append(")\n");
        }
        return md.toString();
    }

    private double ttftOverhead() {
        return p(llmTtft, 50) - p(bareTtft, 50);
    }

    private double ratio(String client, int c) {
        return results.get(client).get(c).rps() / results.get(BARE).get(c).rps();
    }

    private boolean chart(Path png) {
        try {
            CategoryChart chart = new CategoryChartBuilder().width(800).height(420)
                    .title("Requests per second, same fake upstream").xAxisTitle("concurrency")
                    .yAxisTitle("requests/s").build();
            List<String> xs = new ArrayList<>();
            for (int c : OverheadBenchmark.CONCURRENCY) {
                xs.add("c=" + c);
            }
            for (Map.Entry<String, Map<Integer, LoadRun.Point>> e : results.entrySet()) {
                List<Double> ys = new ArrayList<>();
                for (int c : OverheadBenchmark.CONCURRENCY) {
                    ys.add(e.getValue().get(c).rps());
                }
                chart.addSeries(e.getKey(), xs, ys);
            }
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
            return true;
        } catch (Exception | LinkageError e) {
            System.out.println("[overhead] no chart: " + e);
            return false;
        }
    }

    private static String verdict(boolean met, String value, String by) {
        return met ? "**met** (" + value + ")" : "**missed** (" + value + ", by " + by + ")";
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1024.0 / 1024.0);
    }

    private static String kib(long bytes) {
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
}
