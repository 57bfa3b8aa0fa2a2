package dev.camelllm.benchmarks.harness;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/** How busy the JIT compiler has been: a warm-up is over when it has gone quiet. */
public final class Jit {

    private static final CompilationMXBean COMPILATION = ManagementFactory.getCompilationMXBean();

    private Jit() {
    }

    /** The JIT's total compile time so far in milliseconds (its threads together), or -1 where unknown. */
    public static long compileMillis() {
        return COMPILATION != null && COMPILATION.isCompilationTimeMonitoringSupported()
                ? COMPILATION.getTotalCompilationTime() : -1;
    }
}
