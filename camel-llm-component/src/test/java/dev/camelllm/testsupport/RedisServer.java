package dev.camelllm.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;

import static org.awaitility.Awaitility.await;

/**
 * A real {@code redis-server} (Debian's package) on a free loopback port, without persistence, for the state
 * store's tests. {@link #stop()} and {@link #start()} stop and start it on the same port mid-test; {@link #close()}
 * stops it for good. A test that needs it is skipped (assumption) only when redis-server is not installed.
 */
public final class RedisServer implements AutoCloseable {

    private static final long READY_TIMEOUT_MS = 10_000;

    private final Path binary;
    private final Path dir;
    private final int port;
    private Process process;

    private RedisServer(Path binary, int port) throws IOException {
        this.binary = binary;
        this.port = port;
        this.dir = Files.createTempDirectory("redis-test");
    }

    /** Starts one on a free loopback port; skips the test when redis-server is not installed. */
    public static RedisServer startNew() throws IOException, InterruptedException {
        Path binary = find();
        Assumptions.assumeTrue(binary != null, "redis-server is not installed (apt-get install redis-server; "
                + ".ci/run installs it): the shared state store tests are skipped");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RedisServer server = new RedisServer(binary, port);
        server.start();
        return server;
    }

    private static Path find() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(java.io.File.pathSeparator)) {
                candidates.add(Path.of(d, "redis-server"));
            }
        }
        candidates.add(Path.of("/usr/bin/redis-server"));
        candidates.add(Path.of("/usr/sbin/redis-server"));
        return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }

    public int port() {
        return port;
    }

    /** The stateStore option's value for this server. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts the server (again) on its port and waits, bounded, until it answers PING. */
    public synchronized void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return;
        }
        process = new ProcessBuilder(binary.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--loglevel", "warning")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        Process started = process;
        try {
            await().atMost(Duration.ofMillis(READY_TIMEOUT_MS)).pollInterval(Duration.ofMillis(20)).until(() -> {
                if (!started.isAlive()) {
                    throw new IOException("redis-server exited at start: " + Files.readString(dir.resolve("redis.log")));
                }
                return "+PONG".equals(command("PING"));
            });
        } catch (ConditionTimeoutException e) {
            throw new IOException("redis-server did not answer PING within " + READY_TIMEOUT_MS + " ms", e);
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s); the port then refuses connections. */
    public synchronized void stop() throws InterruptedException {
        Process p = process;
        process = null;
        if (p == null) {
            return;
        }
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Sends one inline command (e.g. "DBSIZE", "GET key") and returns the first line of the answer, or null. */
    public String command(String inline) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            // a bulk string: its value is on the next line
            if (line.length() > 0 && line.charAt(0) == '$' && !line.toString().equals("$-1")) {
                StringBuilder value = new StringBuilder();
                while ((c = in.read()) != -1 && c != '\n') {
                    if (c != '\r') {
                        value.append((char) c);
                    }
                }
                return value.toString();
            }
            return line.toString();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * How many times the server ran a command since it started or since {@code CONFIG RESETSTAT}, from
     * {@code INFO commandstats} (e.g. "evalsha"); -1 when the server does not answer.
     */
    public long calls(String commandName) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write("INFO commandstats\r\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            int length = Integer.parseInt(line(in).substring(1)); // "$N", then N bytes of "name:calls=..,..." lines
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            String prefix = "cmdstat_" + commandName.toLowerCase(java.util.Locale.ROOT) + ":calls=";
            for (String l : body.split("\r\n")) {
                if (l.startsWith(prefix)) {
                    return Long.parseLong(l.substring(prefix.length(), l.indexOf(',')));
                }
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The keys that match a pattern (KEYS, fine on a test server), e.g. "camel-llm:cache:*"; empty when down. */
    public List<String> keys(String pattern) {
        List<String> keys = new ArrayList<>();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write(("KEYS " + pattern + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            String header = line(in);
            int count = Integer.parseInt(header.substring(1)); // "*N", then "$len" and the key for each
            for (int i = 0; i < count; i++) {
                line(in);
                keys.add(line(in));
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        return keys;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
