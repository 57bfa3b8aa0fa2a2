package dev.camelllm.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Another process's CPU time from {@code /proc}: all its threads, and its JIT compiler threads alone (on a
 * busy machine the JIT goes on compiling for minutes after start, which is start-up cost, not load's).
 */
public final class ProcStat {

    /** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux). */
    private static final long NANOS_PER_TICK = 1_000_000_000L / 100;

    private ProcStat() {
    }

    /** User plus system CPU time of the process so far, in nanoseconds (10 ms resolution). */
    public static long cpuNanos(long pid) throws IOException {
        return ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))) * NANOS_PER_TICK;
    }

    /**
     * The CPU time of the process's C1 and C2 compiler threads so far, in nanoseconds. A compiler thread that
     * has ended is no longer counted, so the figure is a lower bound.
     */
    public static long jitCpuNanos(long pid) throws IOException {
        long ticks = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended meanwhile
                }
                String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                    ticks += ticks(stat);
                }
            }
        }
        return ticks * NANOS_PER_TICK;
    }

    /** utime + stime (fields 14 and 15) of a stat line; the command name before them is in parentheses and may hold spaces. */
    private static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
