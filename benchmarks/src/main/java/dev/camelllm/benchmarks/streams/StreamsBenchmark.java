package dev.camelllm.benchmarks.streams;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.camelllm.benchmarks.harness.DocSection;

/**
 * N concurrent streamed requests, each about D seconds long, through the packaged routes app (its own JVM,
 * on the JDK given): either its gateway ({@code POST /v1/chat/completions}, {@code "stream":true}, model
 * {@code cloud-only}) or its {@code llm:} route on platform-http ({@code POST /chat/stream}). The upstream is
 * {@link SseFake} in a third JVM; the load client ({@link StreamLoad}) runs in this one. While the streams
 * run, the app process is sampled from /proc ({@link ProcSampler}). Prints a table row and adds it to the
 * "Concurrent streams" section of docs/benchmarks.md ({@link StreamsReport}). Target {@code bare} sends the
 * same streams straight to the fake, no app, and samples the fake: what the harness itself can hold. See {@link StreamsOptions} for
 * the command line; {@code benchmarks/run-streams.sh} builds what it needs and runs a matrix.
 */
public final class StreamsBenchmark {

    static final String GATEWAY_KEY = "bench-streams-0123456789abcdef";
    static final String GATEWAY_MODEL = "cloud-only";
    /** The largest connection pool and concurrency cap the component accepts; 0 turns a rate limit off. */
    static final String MANY = "100000";
    static final String OFF = "0";

    private StreamsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        StreamsOptions o;
        try {
            o = StreamsOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        int rc = 0;
        try {
            StreamsResult result = run(o);
            StreamsReport.print(result);
            if (o.docs() != null) {
                StreamsReport.write(o.docs().resolve("benchmarks.md"), result);
            }
        } catch (Exception e) {
            e.printStackTrace();
            rc = 1;
        }
        System.exit(rc); // Vert.x's threads are not daemons; the shutdown hooks kill any child left
    }

    static StreamsResult run(StreamsOptions o) throws Exception {
        Path jar = o.jar().toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no app jar at " + jar + ": build it with "
                    + "mvn -B -ntp -q package -DskipTests -pl routes -am (or run benchmarks/run-streams.sh)");
        }
        Path root = jar.getParent().getParent().getParent(); // <root>/routes/target/x.jar: the app runs from the root
        Path work = root.resolve("benchmarks/target/streams");
        String pids = System.getProperty("bench.streams.pidfile");
        Path pidFile = pids == null || pids.isBlank() ? null : Path.of(pids);
        String loadBefore = DocSection.loadAverage();

        List<String> fakeCmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms256m", "-Xmx1g", "-cp", System.getProperty("java.class.path"), SseFake.class.getName(),
                Integer.toString(o.seconds()));
        try (ChildProcess fake = ChildProcess.start("fake", fakeCmd, Map.of(), root, work, pidFile)) {
            fake.await("listening", 30, () -> fake.logLine("PORT ") != null);
            int fakePort = Integer.parseInt(fake.logLine("PORT ").substring(5).trim());
            if ("bare".equals(o.target())) { // the harness's own capacity: client straight to the fake
                return measure(o, StreamLoad.gateway(GATEWAY_KEY, SseFake.MODEL, o.seconds()), fakePort, fake,
                        "fake (" + javaVersion(Path.of(System.getProperty("java.home"), "bin", "java").toString())
                                + ")", loadBefore);
            }
            int appPort = freePort();
            try (ChildProcess app = ChildProcess.start("app", appCommand(o, jar, fakePort),
                    appEnv(o, fakePort, appPort), root, work, pidFile)) {
                awaitReady(app, appPort);
                StreamLoad.Target target = "gateway".equals(o.target())
                        ? StreamLoad.gateway(GATEWAY_KEY, GATEWAY_MODEL, o.seconds())
                        : StreamLoad.route(GATEWAY_KEY, o.seconds());
                return measure(o, target, appPort, app, javaVersion(o.java()), loadBefore);
            }
        }
    }

    /** The warm-up, then the N streams while {@code sampled} is sampled. */
    private static StreamsResult measure(StreamsOptions o, StreamLoad.Target target, int port, ChildProcess sampled,
                                         String jdk, String loadBefore) throws InterruptedException {
        String fdLimit = fdLimit(sampled.pid());
        try (StreamLoad load = new StreamLoad(Math.max(o.n(), o.warmup()), o.clientHttp2())) {
            if (o.warmup() > 0) {
                warmUp(load, target, port, o, sampled);
            }
            System.out.printf("[streams] %s: %d streams of %d s, %s on %s%n", o.target(), o.n(), o.seconds(),
                    sampled.name(), jdk);
            List<StreamOutcome> outcomes;
            ProcSampler sampler = new ProcSampler(sampled.pid()).start();
            try (sampler) {
                outcomes = load.run(target, port, o.n(), (long) (o.hardLimitSeconds() * 1e9));
            }
            return new StreamsResult(o, jdk, outcomes, sampler.peakRssKb(), sampler.hwmKb(), sampler.peakThreads(),
                    sampler.peakFds(), sampler.cpuNanos(), sampler.jitCpuNanos(), sampled.alive(), fdLimit, loadBefore, DocSection.loadAverage());
        }
    }

    /** One short round of streams first: it proves the wiring (or fails with the app's log) and warms the JIT. */
    private static void warmUp(StreamLoad load, StreamLoad.Target target, int port, StreamsOptions o,
                               ChildProcess app) throws InterruptedException {
        System.out.printf("[streams] warm-up: %d stream(s) of %d s%n", o.warmup(), o.seconds());
        List<StreamOutcome> warm = load.run(target, port, o.warmup(), (long) (o.hardLimitSeconds() * 1e9));
        List<String> kinds = warm.stream().map(StreamOutcome::kind).filter(k -> !StreamOutcome.WHOLE.equals(k)).toList();
        if (!kinds.isEmpty()) {
            throw new IllegalStateException("warm-up streams failed " + kinds + "; the app's log:\n" + app.tail(6000));
        }
    }

    private static List<String> appCommand(StreamsOptions o, Path jar, int fakePort) {
        List<String> cmd = new ArrayList<>();
        cmd.add(o.java());
        cmd.add("-Dai.djl.offline=true");
        cmd.addAll(o.jvmOpts());
        // the app's own limits, lifted so that only its execution model limits the streams
        cmd.add("-Dcamel.component.llm.max-connections=" + MANY);
        cmd.add("-Dcamel.component.llm.max-connections-per-route=" + MANY);
        // cloud and cloud-only share the group "cloud": both get the same (lifted) limits, or the app refuses to start
        cmd.add("-Dcamel.component.llm.profiles[cloud].tokens-per-minute=0");
        cmd.add("-Dcamel.component.llm.profiles[cloud-only].tokens-per-minute=0");
        // the caps on calls in flight (the global one comes from LLM_MAX_IN_FLIGHT, which --env may set)
        cmd.add("-Dcamel.component.llm.profiles[cloud-only].max-in-flight=" + MANY);
        cmd.add("-Dcamel.component.llm.max-in-flight=" + MANY);
        if ("route".equals(o.target())) {
            // /chat/stream uses llm:chat, which no profile names: the component's defaults, pointed at the fake
            cmd.add("-Dcamel.component.llm.provider=openai-compatible");
            cmd.add("-Dcamel.component.llm.base-url=http://127.0.0.1:" + fakePort + "/v1");
            cmd.add("-Dcamel.component.llm.model=" + SseFake.MODEL);
        }
        cmd.addAll(o.properties());
        cmd.add("-jar");
        cmd.add(jar.toString());
        return cmd;
    }

    private static Map<String, String> appEnv(StreamsOptions o, int fakePort, int appPort) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LLM_HTTP_PORT", Integer.toString(appPort));
        env.put("LLM_GATEWAY_KEY", GATEWAY_KEY);
        env.put("LLM_GATEWAY_RPM", OFF);
        env.put("LLM_GATEWAY_TPM", OFF);
        env.put("LLM_CLOUD_BASE_URL", "http://127.0.0.1:" + fakePort + "/v1");
        env.put("LLM_CLOUD_MODEL", SseFake.MODEL);
        env.put("RATE_LIMIT_PER_MINUTE", OFF);
        env.put("RATE_LIMIT_PER_HOUR", OFF);
        env.put("MAX_CONCURRENT_REQUESTS", MANY);
        env.put("OPENAI_API_KEY", "");
        env.put("ANTHROPIC_API_KEY", "");
        env.putAll(o.env());
        return env;
    }

    /** Up when the gateway lists its models to our key (routes and gateway start together). */
    private static void awaitReady(ChildProcess app, int port) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest models = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/models"))
                .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + GATEWAY_KEY).GET().build();
        app.await("answering on port " + port, 120, () -> {
            try {
                return http.send(models, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** "Max open files" of the app process, soft/hard, from /proc/<pid>/limits. */
    private static String fdLimit(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                    return f[0] + "/" + f[1];
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "unknown";
    }

    /** "17.0.15" from the first line of {@code java -version}. */
    static String javaVersion(String java) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        p.waitFor();
        int q = out.indexOf('"');
        int q2 = q < 0 ? -1 : out.indexOf('"', q + 1);
        if (q2 < 0) {
            throw new IllegalStateException(java + " -version printed no version: " + out);
        }
        return out.substring(q + 1, q2);
    }
}
