package dev.camelllm.benchmarks.streams;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The harness's command line:
 * <pre>
 * StreamsBenchmark --target gateway|route|bare --n N --d SECONDS --java PATH_TO_JAVA
 *     [--jar routes/target/camel-llm-routes.jar] [--label before] [--docs DIR | --no-doc]
 *     [--warmup K] [--hard-limit SECONDS] [--client-http2] [--jvm-opt OPT]... [--env NAME=VALUE]... [-Dname=value]...
 * </pre>
 * {@code --client-http2}: the load client speaks HTTP/2 in clear text (prior knowledge) to the app, up to
 * {@link StreamLoad#PER_CLIENT} streams on one connection, so that N streams hold N / 50 client sockets in
 * the app instead of N: how 10,000 streams fit under an open-files limit of 20,000 (the upstream side stays
 * HTTP/1.1, a connection per stream).
 * {@code -D} settings and {@code --jvm-opt}s go onto the app's java command line, {@code --env} into its
 * environment; they come after the harness's own defaults and so override them.
 */
record StreamsOptions(String target, int n, int seconds, String java, Path jar, String label, Path docs,
                      int warmup, double hardLimitSeconds, List<String> jvmOpts, List<String> properties,
                      Map<String, String> env, boolean clientHttp2, List<String> commandLine) {

    static StreamsOptions parse(String[] args) {
        String target = null;
        int n = -1;
        int seconds = -1;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path jar = Path.of("routes/target/camel-llm-routes.jar");
        String label = "";
        Path docs = Path.of("docs");
        int warmup = 1;
        double hardLimit = -1;
        List<String> jvmOpts = new ArrayList<>();
        List<String> properties = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        boolean clientHttp2 = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("-D")) {
                properties.add(a);
                continue;
            }
            if (a.equals("--no-doc")) {
                docs = null;
                continue;
            }
            if (a.equals("--client-http2")) {
                clientHttp2 = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw usage("option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--target" -> target = v;
                case "--n" -> n = positive(a, v);
                case "--d" -> seconds = positive(a, v);
                case "--java" -> java = v;
                case "--jar" -> jar = Path.of(v);
                case "--label" -> label = v;
                case "--docs" -> docs = Path.of(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--hard-limit" -> hardLimit = Double.parseDouble(v);
                case "--jvm-opt" -> jvmOpts.add(v);
                case "--env" -> {
                    int eq = v.indexOf('=');
                    if (eq <= 0) {
                        throw usage("--env takes NAME=VALUE, got '" + v + "'");
                    }
                    env.put(v.substring(0, eq), v.substring(eq + 1));
                }
                default -> throw usage("unknown option " + a);
            }
        }
        if (!List.of("gateway", "route", "bare").contains(target)) {
            throw usage("--target must be gateway, route or bare, got " + target);
        }
        if (n < 0 || seconds < 0) {
            throw usage("--n and --d are required");
        }
        if (hardLimit <= 0) {
            hardLimit = 5.0 * seconds + 60;
        }
        return new StreamsOptions(target, n, seconds, java, jar, label, docs, warmup, hardLimit, jvmOpts,
                properties, env, clientHttp2, List.of(args));
    }

    private static int positive(String option, String v) {
        int i = Integer.parseInt(v);
        if (i <= 0) {
            throw usage(option + " must be a positive number, got " + v);
        }
        return i;
    }

    private static IllegalArgumentException usage(String problem) {
        return new IllegalArgumentException(problem + ". Usage: StreamsBenchmark --target gateway|route|bare --n N "
                + "--d SECONDS [--java PATH] [--jar APP_JAR] [--label L] [--docs DIR | --no-doc] [--warmup K] "
                + "[--hard-limit SECONDS] [--client-http2] [--jvm-opt OPT]... [--env NAME=VALUE]... [-Dname=value]...");
    }
}
