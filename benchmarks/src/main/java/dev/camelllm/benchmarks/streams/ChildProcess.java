package dev.camelllm.benchmarks.streams;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A process the harness starts (the fake, the app), its output in a log file, its pid in a file that the
 * run script kills from should this JVM die before its own cleanup. {@link #close()} stops it for sure:
 * SIGTERM, then SIGKILL after a grace period; a shutdown hook does the same on Ctrl-C.
 */
final class ChildProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }, name + "-kill"));
    }

    static ChildProcess start(String name, List<String> command, Map<String, String> env, Path dir, Path logDir,
                              Path pidFile) throws IOException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (pidFile != null) {
            Files.writeString(pidFile, p.pid() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        System.out.println("[streams] started " + name + " pid " + p.pid() + ", log " + log);
        return new ChildProcess(name, p, log);
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** Waits until {@code ready} holds, at most {@code seconds}; fails at once when the process exits. */
    void await(String what, double seconds, BooleanSupplier ready) throws InterruptedException {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before " + what
                        + "; its log:\n" + tail(4000));
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException(name + " not " + what + " after " + seconds + " s; its log:\n"
                        + tail(4000));
            }
            Thread.sleep(200); // a poll of another process's state, bounded above
        }
    }

    /** The first line of the log that starts with {@code prefix}, or null. */
    String logLine(String prefix) {
        try {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        } catch (IOException e) {
            // not written yet
        }
        return null;
    }

    String tail(int chars) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return text.length() > chars ? text.substring(text.length() - chars) : text;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, up to 15 s for a clean stop, then SIGKILL; the process is gone when this returns. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                System.out.println("[streams] " + name + " did not stop within 15 s of SIGTERM: killed");
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
