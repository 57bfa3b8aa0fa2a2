package dev.camelllm.benchmarks.streams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.HdrHistogram.Histogram;

import dev.camelllm.benchmarks.harness.DocSection;

/**
 * The "Concurrent streams" section of docs/benchmarks.md: one table row per run, and the exact command of
 * each row below the table. A run replaces the row with the same label, target, JDK, N and D and keeps the
 * others, so that a matrix run one process at a time (and "before" and "after" a change) ends up in one table.
 */
final class StreamsReport {

    static final String START = "<!-- streams:begin -->";
    static final String END = "<!-- streams:end -->";
    static final String HEADER = "| run | target | app JDK | N | D | whole | failed, by kind | wall | TTFB p50 "
            + "| TTFB p95 | TTFB p99 | sent → first byte p50 | sent → first byte p99 | app peak RSS (HWM) | app peak threads | app peak fds | notes "
            + "| load avg before → after | date |";

    private StreamsReport() {
    }

    static void print(StreamsResult r) {
        System.out.println(HEADER);
        System.out.println(separator());
        System.out.println(row(r));
        System.out.println(command(r));
    }

    static void write(Path file, StreamsResult r) throws IOException {
        String doc = Files.readString(file);
        int s = doc.indexOf(START);
        int e = doc.indexOf(END);
        if (s < 0 || e < s) {
            throw new IllegalStateException(file + " has no " + START + " … " + END + " markers");
        }
        String old = doc.substring(s + START.length(), e);
        String key = key(row(r));
        List<String> rows = new ArrayList<>();
        List<String> commands = new ArrayList<>();
        for (String line : old.split("\n")) {
            if (line.startsWith("| ") && !line.equals(HEADER) && !line.startsWith("| --- ") && !key(line).equals(key)) {
                rows.add(line);
            } else if (line.startsWith("- `") && !line.startsWith("- `" + commandKey(r) + "`")) {
                commands.add(line);
            }
        }
        rows.add(row(r));
        commands.add(command(r));
        String section = "_Rows written by `StreamsBenchmark` (one per run; a run replaces the row with its own "
                + "run, target, JDK, N and D). Machine: " + DocSection.machine() + " (the harness's JVM; the app runs "
                + "on the JDK in its row)._\n\n" + HEADER + "\n" + separator() + "\n" + String.join("\n", rows)
                + "\n\nCommands, by row:\n\n" + String.join("\n", commands) + "\n";
        DocSection.write(file, START, END, section);
        System.out.println("[streams] written to " + file);
    }

    static String row(StreamsResult r) {
        StreamsOptions o = r.options();
        Histogram ttfb = r.firstByte();
        String failures = r.failures().isEmpty() ? "0" : r.failures().entrySet().stream()
                .map(en -> en.getValue() + " " + en.getKey()).collect(Collectors.joining(", "));
        return "| " + String.join(" | ", List.of(
                o.label().isEmpty() ? "–" : o.label(), o.target(), r.jdk(), String.format(Locale.ROOT, "%,d", o.n()),
                o.seconds() + " s", String.format(Locale.ROOT, "%,d", r.whole()), failures,
                (r.hitHardLimit() ? "≥ " : "") + String.format(Locale.ROOT, "%.1f s", r.wallSeconds()),
                time(ttfb, 50), time(ttfb, 95), time(ttfb, 99), time(r.sentToFirstByte(), 50),
                time(r.sentToFirstByte(), 99),
                mib(r.peakRssKb()) + " (" + mib(r.hwmKb()) + ")", Integer.toString(r.peakThreads()),
                String.format(Locale.ROOT, "%,d", r.peakFds()), notes(r), r.loadBefore() + " → " + r.loadAfter(),
                LocalDate.now(ZoneOffset.UTC).toString())) + " |";
    }

    private static String notes(StreamsResult r) {
        List<String> notes = new ArrayList<>();
        if (r.hitHardLimit()) {
            notes.add("stopped at the hard limit of " + DocSection.fmt(r.options().hardLimitSeconds()) + " s");
        }
        if (!r.appAliveAtEnd()) {
            notes.add("the app died during the run");
        }
        long gotByte = r.firstByte().getTotalCount();
        if (gotByte < r.streams().size()) {
            notes.add(String.format(Locale.ROOT, "TTFB of the %,d streams that got a first byte", gotByte));
        }
        double shed = r.rejectedP50Millis();
        if (shed >= 0) {
            notes.add(String.format(Locale.ROOT, "rejections answered in %.0f ms (p50)", shed));
        }
        if ("bare".equals(r.options().target())) {
            notes.add("bare: client straight to the fake; the JDK and process columns are the fake's");
        }
        if (r.options().clientHttp2()) {
            notes.add("bare".equals(r.options().target())
                    ? "client → fake over HTTP/2 (h2c), " + StreamLoad.PER_CLIENT + " streams a connection"
                    : "client → app over HTTP/2 (h2c), " + StreamLoad.PER_CLIENT + " streams a connection; app → fake HTTP/1.1");
        }
        if (r.cpuNanos() >= 0 && !r.streams().isEmpty()) {
            // the whole run (setup, every chunk, the end) over the streams: what one stream cost the process
            notes.add(String.format(Locale.ROOT, "%s CPU %.2f ms a stream, of it JIT %.2f ms",
                    "bare".equals(r.options().target()) ? "fake" : "app", r.cpuNanos() / 1e6 / r.streams().size(),
                    Math.max(0, r.jitCpuNanos()) / 1e6 / r.streams().size()));
        }
        notes.add("fd limit " + r.appFdLimit());
        if (!r.options().jvmOpts().isEmpty() || !r.options().properties().isEmpty() || !r.options().env().isEmpty()) {
            notes.add("extra settings: see command");
        }
        return String.join("; ", notes);
    }

    /** The first five cells: label, target, JDK, N, D. */
    private static String key(String row) {
        String[] cells = row.split("\\|");
        return cells.length < 7 ? row : String.join("|", List.of(cells).subList(1, 6)).trim();
    }

    private static String commandKey(StreamsResult r) {
        StreamsOptions o = r.options();
        return (o.label().isEmpty() ? "" : o.label() + " ") + o.target() + ", JDK " + r.jdk() + ", N=" + o.n()
                + ", D=" + o.seconds() + " s";
    }

    private static String command(StreamsResult r) {
        String script = System.getProperty("bench.streams.command");
        String cmd = script != null && !script.isBlank() ? script
                : "StreamsBenchmark " + String.join(" ", r.options().commandLine());
        return "- `" + commandKey(r) + "`" + commit(r.options().jar()) + ": `" + cmd + "`";
    }

    /** " (tree at abc1234)" from git in the app jar's repository, "-dirty" when it has changes; "" without git. */
    private static String commit(Path jar) {
        try {
            Path root = jar.toAbsolutePath().normalize().getParent().getParent().getParent();
            Process p = new ProcessBuilder("git", "-C", root.toString(), "describe", "--always", "--dirty")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 && !out.isEmpty() ? " (tree at " + out + ")" : "";
        } catch (IOException | RuntimeException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static String separator() {
        return "|" + " --- |".repeat(HEADER.split("\\|").length - 1);
    }

    private static String time(Histogram h, double percentile) {
        if (h.getTotalCount() == 0) {
            return "–";
        }
        double ms = h.getValueAtPercentile(percentile) / 1e6;
        return ms < 1000 ? String.format(Locale.ROOT, "%.1f ms", ms) : String.format(Locale.ROOT, "%.2f s", ms / 1e3);
    }

    private static String mib(long kb) {
        return String.format(Locale.ROOT, "%,.0f MiB", kb / 1024.0);
    }
}
