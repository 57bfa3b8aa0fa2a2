package dev.camelllm.benchmarks.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.camelllm.benchmarks.harness.ProcStat;

/**
 * The gateway in a JVM of its own ({@link GatewayServer#main}), so that its CPU time and its resident memory
 * are its own and not the fake's and the client's: both read from {@code /proc/<pid>}. Its JVM flags are
 * {@value #DEFAULT_JVM} unless {@code -Dbench.gateway.jvm="..."} says otherwise: a production-like heap, not
 * the harness's.
 */
final class GatewayProcess implements AutoCloseable {

    static final String DEFAULT_JVM = "-Xmx512m -XX:+UseG1GC";

    private final Process process;
    private final String baseUrl;
    private final Path log;
    final String jvmFlags;

    GatewayProcess(String upstreamBaseUrl) throws IOException, InterruptedException {
        this(upstreamBaseUrl, null);
    }

    /** A gateway whose key has (very high) limits kept in {@code stateStore}: memory or redis://… */
    GatewayProcess(String upstreamBaseUrl, String stateStore) throws IOException, InterruptedException {
        this(upstreamBaseUrl, stateStore, null);
    }

    /** As {@link #GatewayProcess(String, String)}, with the stateStoreLeaseFraction option (null: its default). */
    GatewayProcess(String upstreamBaseUrl, String stateStore, String leaseFraction) throws IOException,
            InterruptedException {
        this(System.getProperty("java.class.path"), upstreamBaseUrl, stateStore, leaseFraction);
    }

    /** As {@link #GatewayProcess(String, String, String)}, on a classpath of its own (another build's jars). */
    GatewayProcess(String classpath, String upstreamBaseUrl, String stateStore, String leaseFraction)
            throws IOException, InterruptedException {
        this(classpath, "", upstreamBaseUrl, stateStore, leaseFraction);
    }

    /** As {@link #GatewayProcess(String, String, String, String)}, with JVM flags of its own after the shared ones. */
    GatewayProcess(String classpath, String extraJvmFlags, String upstreamBaseUrl, String stateStore,
                   String leaseFraction) throws IOException, InterruptedException {
        jvmFlags = (System.getProperty("bench.gateway.jvm", DEFAULT_JVM) + " " + extraJvmFlags).trim();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(Arrays.asList(jvmFlags.trim().split("\\s+")));
        command.addAll(List.of("-classpath", classpath, GatewayServer.class.getName(),
                upstreamBaseUrl));
        if (stateStore != null) {
            command.add(stateStore);
            if (leaseFraction != null) {
                command.add(leaseFraction);
            }
        }
        log = Files.createTempFile("gateway-bench", ".log");
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "gateway-kill"));
        baseUrl = awaitReady();
        System.out.println("[gateway] gateway pid " + process.pid() + " (" + jvmFlags + ") at " + baseUrl
                + ", log " + log);
    }

    private String awaitReady() throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < end) {
            for (String line : Files.readAllLines(log)) {
                if (line.startsWith(GatewayServer.READY)) {
                    return line.substring(GatewayServer.READY.length()).trim();
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the gateway exited before it was ready:\n" + Files.readString(log));
            }
            Thread.sleep(100); // a poll of another process's log, bounded above
        }
        throw new IllegalStateException("the gateway was not ready after 120 s:\n" + Files.readString(log));
    }

    String baseUrl() {
        return baseUrl;
    }

    /**
     * The gateway JVM's JIT so far in milliseconds: its compiler threads' CPU time, read from /proc, so that the
     * gateway runs no thread of the harness's own whose CPU would count as its.
     */
    long jitMillis() {
        return jitCpuNanos() / 1_000_000;
    }

    /** User plus system CPU time of the gateway process so far, in nanoseconds (10 ms resolution). */
    long cpuNanos() {
        try {
            return ProcStat.cpuNanos(process.pid());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the gateway's CPU time", e);
        }
    }

    /** The CPU time of the gateway's JIT compiler threads so far, in nanoseconds ({@link ProcStat#jitCpuNanos}). */
    long jitCpuNanos() {
        try {
            return ProcStat.jitCpuNanos(process.pid());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the gateway's threads", e);
        }
    }

    /** A line of /proc/<pid>/status in KiB, e.g. VmRSS or VmHWM. */
    long statusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the gateway's memory", e);
        }
        throw new IllegalStateException("no " + field + " in /proc/" + process.pid() + "/status");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
