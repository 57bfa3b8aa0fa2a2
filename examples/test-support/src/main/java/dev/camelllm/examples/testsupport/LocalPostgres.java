package dev.camelllm.examples.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL 15 server for a test: initdb into a temp directory, then pg_ctl start on a free
 * loopback port (trust authentication, no socket outside the directory), and stop and delete on close.
 * PostgreSQL refuses to run as root, so as root both run as the postgres user (runuser). Every step is
 * bounded: pg_ctl waits at most 30 s, each process at most 60 s. Shared by the examples' tests (usage-postgres,
 * rag-pipeline); a test checks {@link #installed()} first and skips itself, saying why, when it is false.
 */
public final class LocalPostgres implements AutoCloseable {

    public static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    private final Path dir;
    private final Path data;
    private final int port;

    private LocalPostgres(Path dir, int port) {
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
    }

    public static boolean installed() {
        return Files.isExecutable(BIN.resolve("initdb")) && Files.isExecutable(BIN.resolve("pg_ctl"));
    }

    public static LocalPostgres start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("camel-llm-pg");
        LocalPostgres pg = new LocalPostgres(dir, freePort());
        try {
            if (root()) {
                pg.run(List.of("chown", "postgres", dir.toString()), false);
            }
            pg.run(List.of(BIN.resolve("initdb").toString(), "-D", pg.data.toString(), "-A", "trust", "-U", "postgres",
                    "-E", "UTF8", "--no-sync"), true);
            pg.run(List.of(BIN.resolve("pg_ctl").toString(), "-D", pg.data.toString(), "-l", dir.resolve("server.log").toString(),
                    "-o", "-p " + pg.port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off",
                    "-w", "-t", "30", "start"), true);
        } catch (IOException | InterruptedException | RuntimeException e) {
            pg.close();
            throw e;
        }
        return pg;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    @Override
    public void close() {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                run(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "-t", "30", "stop"), true);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("Could not stop the test's PostgreSQL: " + e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private void run(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres && root()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Path output = Files.createTempFile("camel-llm-pg-cmd", ".log");
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " did not finish within 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " failed (" + p.exitValue() + "): "
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
