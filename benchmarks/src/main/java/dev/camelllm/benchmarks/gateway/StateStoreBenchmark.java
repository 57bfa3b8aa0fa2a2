package dev.camelllm.benchmarks.gateway;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.camelllm.benchmarks.harness.DocSection;
import dev.camelllm.benchmarks.harness.FakeUpstream;
import dev.camelllm.benchmarks.harness.LoadRun;
import dev.camelllm.benchmarks.harness.LoadRun.Point;

import static dev.camelllm.benchmarks.harness.DocSection.ms;
import static dev.camelllm.benchmarks.harness.DocSection.p;
import static dev.camelllm.benchmarks.harness.DocSection.rps;

/**
 * What the shared state store costs a gateway request: three gateways (each a JVM of its own) in front of the
 * same fake upstream, whose key has limits so high that nothing is refused, so that every request takes from
 * the key's two buckets before the call and corrects the token bucket after. One keeps them in memory, two in
 * a redis-server on loopback (started here, without persistence): one with the default local leases
 * (stateStoreLeaseFraction), one with them off (a script call per request). The same client measures all at
 * concurrency 1 and 16, in alternating rounds (the better kept), and Redis's INFO commandstats counts the
 * script calls of each Redis gateway's requests. Writes its table into docs/benchmarks.md.
 * Usage: {@code StateStoreBenchmark <docs dir>}; {@code -Dbench.seconds=N} per point, {@code -Dbench.warmup.max=S}.
 */
public final class StateStoreBenchmark {

    static final int[] CONCURRENCY = {1, 16};
    static final int ROUNDS = 3;
    static final String LEASED = "redis";
    static final String PER_REQUEST = "redis, lease 0";

    private StateStoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path docs = Path.of(args.length > 0 ? args[0] : "docs");
        double seconds = Double.parseDouble(System.getProperty("bench.seconds", "3"));
        double warmUp = Double.parseDouble(System.getProperty("bench.warmup.max", "60"));
        String loadBefore = DocSection.loadAverage();
        long t0 = System.nanoTime();
        Path redisDir = Files.createTempDirectory("bench-redis");
        int redisPort = freePort();
        Process redis = new ProcessBuilder("redis-server", "--port", String.valueOf(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", redisDir.toString())
                .redirectErrorStream(true).redirectOutput(redisDir.resolve("redis.log").toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(redis::destroyForcibly, "redis-kill"));
        awaitRedis(redisPort, redis);
        String redisUri = "redis://127.0.0.1:" + redisPort;

        Map<String, Map<Integer, Point>> results = new LinkedHashMap<>();
        // per Redis gateway: script calls and requests (requests/s x seconds) over its measured points
        Map<String, double[]> calls = new LinkedHashMap<>();
        try (FakeUpstream fake = new FakeUpstream(64, 0, 1, 0);
             GatewayProcess memory = new GatewayProcess(fake.baseUrl(), "memory");
             GatewayProcess leased = new GatewayProcess(fake.baseUrl(), redisUri);
             GatewayProcess perRequest = new GatewayProcess(fake.baseUrl(), redisUri, "0")) {
            GatewayClient client = new GatewayClient();
            List<Target> targets = List.of(target("memory", memory), target(LEASED, leased),
                    target(PER_REQUEST, perRequest));
            for (Target t : targets) {
                client.chat(t); // fails fast when a path is miswired
            }
            long warmEnd = System.nanoTime() + (long) (warmUp * 1e9);
            while (System.nanoTime() < warmEnd) {
                for (Target t : targets) {
                    LoadRun.measure(() -> client.chat(t), 16, 2);
                }
            }
            for (int round = 0; round < ROUNDS; round++) {
                for (int c : CONCURRENCY) {
                    for (Target t : targets) {
                        redisCommand(redisPort, "CONFIG RESETSTAT");
                        Point point = LoadRun.measure(() -> client.chat(t), c, seconds);
                        if (!t.label().equals("memory")) {
                            double[] sum = calls.computeIfAbsent(t.label(), k -> new double[2]);
                            sum[0] += scriptCalls(redisPort);
                            sum[1] += point.rps() * seconds;
                        }
                        System.out.printf("[state-store] round %d  c=%-3d %-8s %8.0f req/s  p50 %7.1f µs  errors %d%n",
                                round, c, t.label(), point.rps(), p(point.latency(), 50) / 1e3, point.errors());
                        results.computeIfAbsent(t.label(), k -> new LinkedHashMap<>()).merge(c, point, Point::best);
                    }
                }
            }
            // proof that the Redis gateways' requests went through Redis: a script call per request without leases
            double[] off = calls.get(PER_REQUEST);
            if (off == null || off[0] < 0.9 * off[1] || calls.get(LEASED)[0] <= 0) {
                throw new IllegalStateException("the Redis gateways' requests did not all reach Redis: script calls "
                        + "and requests " + java.util.Arrays.toString(off) + ", with leases "
                        + java.util.Arrays.toString(calls.get(LEASED)));
            }
        } finally {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
        double minutes = (System.nanoTime() - t0) / 60e9;
        DocSection.write(docs.resolve("benchmarks.md"), "<!-- state-store:begin -->", "<!-- state-store:end -->",
                report(results, calls, loadBefore, DocSection.loadAverage(), seconds, warmUp, minutes));
        System.exit(0); // Vert.x's and the JDK client's threads are not daemons
    }

    private static Target target(String label, GatewayProcess gateway) {
        Target openAi = Target.gatewayOpenAi(gateway.baseUrl());
        return new Target(label, openAi.uri(), openAi.model(), false, openAi.headers(), true);
    }

    /** The script calls Redis ran since the last CONFIG RESETSTAT (INFO commandstats: evalsha and eval). */
    private static long scriptCalls(int port) {
        String info = redisInfo(port, "commandstats");
        long n = 0;
        for (String line : info.split("\r?\n")) {
            for (String cmd : new String[] {"cmdstat_evalsha:calls=", "cmdstat_eval:calls="}) {
                if (line.startsWith(cmd)) {
                    n += Long.parseLong(line.substring(cmd.length(), line.indexOf(',')));
                }
            }
        }
        return n;
    }

    private static String report(Map<String, Map<Integer, Point>> results, Map<String, double[]> calls,
                                 String loadBefore, String loadAfter,
                                 double seconds, double warmUp, double minutes) {
        StringBuilder s = new StringBuilder();
        s.append("_Written by `StateStoreBenchmark` on ").append(java.time.LocalDate.now())
                .append("; the next run replaces everything between the markers._\n\n");
        s.append("Machine: ").append(DocSection.machine()).append("; redis-server ")
                .append(redisVersion()).append(" on loopback, each gateway a JVM of its own (`")
                .append(System.getProperty("bench.gateway.jvm", GatewayProcess.DEFAULT_JVM)).append("`).  \n");
        s.append("Load average (1, 5, 15 min) before: **").append(loadBefore).append("**, after: **").append(loadAfter)
                .append("** — the machine is shared with other builds, so treat the figures as noisy; each point is the "
                        + "better of ").append(ROUNDS).append(" rounds.  \n");
        s.append(String.format("Command: `mvn -B -ntp -Pbenchmarks -DskipTests verify -pl benchmarks -am "
                + "-Dbench.local.skip=true -Dbench.overhead.skip=true -Dbench.gateway.skip=true "
                + "-Dbench.state.skip=false` (%.1f s per point, %.0f s warm-up, whole run %.1f min).%n%n", seconds, warmUp,
                minutes));
        s.append("| store | concurrency | p50 | p99 | requests/s | Redis adds p50 | req/s vs memory | errors |\n");
        s.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (int c : CONCURRENCY) {
            Point mem = results.get("memory").get(c);
            for (String store : results.keySet()) {
                Point pt = results.get(store).get(c);
                boolean redis = !store.equals("memory");
                s.append("| ").append(store).append(" | ").append(c).append(" | ")
                        .append(ms(p(pt.latency(), 50))).append(" | ").append(ms(p(pt.latency(), 99))).append(" | ")
                        .append(rps(pt.rps())).append(" | ")
                        .append(redis ? ms(p(pt.latency(), 50) - p(mem.latency(), 50)) : "–").append(" | ")
                        .append(redis ? DocSection.pct(pt.rps() / mem.rps() - 1) : "–").append(" | ")
                        .append(pt.errors()).append(" |\n");
            }
        }
        s.append("\nEvery request of the three gateways takes one request and its estimated tokens from the key's two "
                + "buckets and corrects the token bucket by the real usage after the answer. `" + PER_REQUEST + "`: one "
                + "Lua script per request, waited for, and one per correction, not waited for. `" + LEASED + "` (the "
                + "default `stateStoreLeaseFraction=0.001`): the gateway leases a thousandth of each bucket at once "
                + "and spends it locally; corrections are sent in batches.  \n");
        s.append("Script calls per request (Redis's `INFO commandstats` over the measured points): ");
        List<String> parts = new java.util.ArrayList<>();
        calls.forEach((label, sum) -> parts.add("`" + label + "` " + String.format("%.4f", sum[0] / sum[1])));
        s.append(String.join(", ", parts)).append(".\n");
        return s.toString();
    }

    private static String redisVersion() {
        try {
            Process p = new ProcessBuilder("redis-server", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(5, TimeUnit.SECONDS);
            int v = out.indexOf("v=");
            return v < 0 ? "" : out.substring(v + 2, out.indexOf(' ', v));
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    private static void awaitRedis(int port, Process redis) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!"+PONG".equals(redisCommand(port, "PING"))) {
            if (!redis.isAlive() || System.nanoTime() > end) {
                throw new IllegalStateException("redis-server did not start on port " + port);
            }
            Thread.sleep(50); // a poll of another process, bounded above
        }
    }

    /** An INFO section's text. */
    private static String redisInfo(int port, String section) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(2000);
            s.getOutputStream().write(("INFO " + section + "\r\n").getBytes(StandardCharsets.UTF_8));
            java.io.InputStream in = s.getInputStream();
            StringBuilder header = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (c != '\r') {
                    header.append((char) c);
                }
            }
            int length = Integer.parseInt(header.substring(1)); // "$N", then N bytes
            return new String(in.readNBytes(length), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** One inline command; the answer's first line. */
    private static String redisCommand(int port, String command) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(2000);
            s.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
            byte[] buf = new byte[4096];
            int n = s.getInputStream().read(buf);
            return n <= 0 ? null : new String(buf, 0, n, StandardCharsets.UTF_8).lines().findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
