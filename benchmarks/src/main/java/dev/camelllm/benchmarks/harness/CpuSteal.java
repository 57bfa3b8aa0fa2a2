package dev.camelllm.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The share of the machine's CPU time that the hypervisor gave to other guests ("steal" in /proc/stat) between
 * two readings. On a shared virtual machine it moves every figure of a run: CPU time per request grows with it
 * (cold caches, a busy host), so a report that gives it lets two runs be told apart.
 */
public final class CpuSteal {

    private final long steal;
    private final long total;

    private CpuSteal(long steal, long total) {
        this.steal = steal;
        this.total = total;
    }

    /** A reading now; all zero where /proc/stat cannot be read (not Linux). */
    public static CpuSteal now() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) { // user … steal; guest time is already in user
                total += Long.parseLong(f[i]);
            }
            return new CpuSteal(f.length > 8 ? Long.parseLong(f[8]) : 0, total);
        } catch (IOException | RuntimeException e) {
            return new CpuSteal(0, 0);
        }
    }

    /** Steal since {@code before} as a percentage of all CPU time since then, e.g. "12.3 %", or "unknown". */
    public String since(CpuSteal before) {
        long t = total - before.total;
        return t <= 0 ? "unknown" : String.format(Locale.ROOT, "%.1f %%", 100.0 * (steal - before.steal) / t);
    }
}
