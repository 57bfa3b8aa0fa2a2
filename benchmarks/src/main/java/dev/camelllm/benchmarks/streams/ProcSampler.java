package dev.camelllm.benchmarks.streams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.camelllm.benchmarks.harness.ProcStat;

/**
 * Samples another process every 250 ms from {@code /proc/<pid>/status} (VmRSS, VmHWM, Threads: the live OS
 * threads, so platform threads, carriers and the JVM's own; virtual threads do not show) and the count of
 * its open file descriptors, and keeps the peaks; and the CPU time it spent (user + system, all its threads,
 * and the part of it its JIT compiler threads spent) between {@link #start()} and {@link #close()}.
 */
final class ProcSampler implements AutoCloseable {

    static final long PERIOD_MILLIS = 250;

    private final Path status;
    private final Path fds;
    private final long pid;
    /** The process's CPU time and its JIT's, in nanoseconds, at start and at close. */
    private long[] cpuAtStart;
    private long[] cpuAtEnd;
    private final ScheduledExecutorService timer;
    private volatile long peakRssKb;
    private volatile long hwmKb;
    private volatile int peakThreads;
    private volatile int peakFds;
    private volatile int samples;

    ProcSampler(long pid) {
        status = Path.of("/proc", Long.toString(pid), "status");
        fds = Path.of("/proc", Long.toString(pid), "fd");
        this.pid = pid;
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "proc-sampler");
            t.setDaemon(true);
            return t;
        });
    }

    ProcSampler start() {
        cpuAtStart = cpu();
        timer.scheduleAtFixedRate(this::sample, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        return this;
    }

    private void sample() {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    peakRssKb = Math.max(peakRssKb, number(line));
                } else if (line.startsWith("VmHWM:")) {
                    hwmKb = Math.max(hwmKb, number(line));
                } else if (line.startsWith("Threads:")) {
                    peakThreads = (int) Math.max(peakThreads, number(line));
                }
            }
            try (Stream<Path> open = Files.list(fds)) {
                peakFds = (int) Math.max(peakFds, open.count());
            }
            samples++;
        } catch (IOException | RuntimeException e) {
            // the process is gone (or going): the peaks so far stand
        }
    }

    private long[] cpu() {
        try {
            return new long[] {ProcStat.cpuNanos(pid), ProcStat.jitCpuNanos(pid)};
        } catch (IOException | RuntimeException e) {
            return null; // the process is gone
        }
    }

    /** The CPU time the process spent between start and close, in nanoseconds (10 ms resolution); -1 if unknown. */
    long cpuNanos() {
        return cpuAtStart == null || cpuAtEnd == null ? -1 : cpuAtEnd[0] - cpuAtStart[0];
    }

    /** The part of {@link #cpuNanos()} its JIT compiler threads spent; -1 if unknown. */
    long jitCpuNanos() {
        return cpuAtStart == null || cpuAtEnd == null ? -1 : cpuAtEnd[1] - cpuAtStart[1];
    }

    private static long number(String line) {
        return Long.parseLong(line.replaceAll("\\D", ""));
    }

    /** Peak resident set in KiB, as sampled. */
    long peakRssKb() {
        return peakRssKb;
    }

    /** The kernel's own resident-set high-water mark in KiB (catches peaks between two samples). */
    long hwmKb() {
        return hwmKb;
    }

    int peakThreads() {
        return peakThreads;
    }

    int peakFds() {
        return peakFds;
    }

    int samples() {
        return samples;
    }

    /** Samples once more (the end state), then stops. */
    @Override
    public void close() {
        timer.shutdownNow();
        sample();
        cpuAtEnd = cpu();
    }
}
