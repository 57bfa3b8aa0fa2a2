package dev.camelllm.benchmarks.harness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.HdrHistogram.Histogram;

/**
 * A harness's section of a Markdown doc: written between two markers, so that the next run replaces it and
 * the prose around it stays; and the facts and number formats every section states the same way.
 */
public final class DocSection {

    private DocSection() {
    }

    /** Replaces what lies between {@code start} and {@code end} in {@code file} with {@code section}. */
    public static void write(Path file, String start, String end, String section) throws IOException {
        String doc = Files.readString(file);
        int s = doc.indexOf(start);
        int e = doc.indexOf(end);
        if (s < 0 || e < s) {
            throw new IllegalStateException(file + " has no " + start + " … " + end + " markers");
        }
        Files.writeString(file, doc.substring(0, s) + start + "\n" + section + end + doc.substring(e + end.length()));
    }

    /** The 1, 5 and 15 minute load averages as {@code uptime} prints them. */
    public static String loadAverage() {
        try {
            Process p = new ProcessBuilder("uptime").redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            int i = out.indexOf("load average:");
            return i < 0 ? out : out.substring(i + "load average:".length()).trim();
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** Cores, memory, JVM and OS, for the line that says what ran the figures. */
    public static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, " + memory() + ", "
                + System.getProperty("java.vm.name") + ' ' + System.getProperty("java.runtime.version") + ", "
                + System.getProperty("os.name") + ' ' + System.getProperty("os.arch");
    }

    private static String memory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("\\D", ""));
                    return String.format(Locale.ROOT, "%.0f GiB", kb / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: say so below
        }
        return "memory unknown";
    }

    public static double p(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile);
    }

    /** Nanoseconds as milliseconds with three decimals. */
    public static String ms(double nanos) {
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }

    /** One decimal. */
    public static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** A ratio as a signed percentage: 0.05 → "+5.0 %". */
    public static String pct(double r) {
        return String.format(Locale.ROOT, "%+.1f %%", r * 100);
    }

    /** Requests per second, whole, with thousands separated. */
    public static String rps(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }
}
