package dev.camelllm.examples.usage;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.examples.testsupport.LocalPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The example against a real PostgreSQL 15 started for the test: the app creates its table, then a plain
 * call, a streamed call, a failed call and a gateway request with a key each become one row with the
 * call's facts; the docs' spend-per-key-per-day query adds them up.
 */
@Timeout(180)
class UsagePostgresTest {

    static final Path ROOT = Path.of(System.getProperty("camel.llm.repoRoot", "../..")).toAbsolutePath().normalize();
    static final String TEAM_A = "gw-team-a-test-0123456789";

    static LocalPostgres postgres;
    static Main main;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(LocalPostgres.installed(),
                "PostgreSQL 15 is not installed (" + LocalPostgres.BIN + "/initdb): the usage-postgres example's test is skipped");
        postgres = LocalPostgres.start();
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Properties p = new Properties();
        p.put("camel.beans.usageDb.url", postgres.jdbcUrl());
        p.put("camel.beans.usageDb.user", "postgres");
        p.put("camel.component.llm.profiles[local].model-path", ROOT.resolve("models/tiny-chat").toString());
        p.put("camel.component.llm.profiles[local].device", "cpu");
        // a profile whose upstream refuses every connection: its calls fail at once
        p.put("camel.component.llm.profiles[broken].provider", "openai");
        p.put("camel.component.llm.profiles[broken].base-url", "http://127.0.0.1:" + closedPort() + "/v1");
        p.put("camel.component.llm.profiles[broken].api-key", "sk-never-sent-anywhere-0000");
        p.put("camel.component.llm.profiles[broken].model", "gpt-nowhere");
        p.put("camel.component.llm.profiles[broken].max-retries", "0");
        p.put("camel.server.port", String.valueOf(port));
        p.put("llm.gateway.keys.team-a.key", TEAM_A);
        main = new Main(UsageApp.class);
        main.setOverrideProperties(p);
        main.start();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (main != null) {
                main.stop();
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Connection db() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "");
    }

    /** The row of one request, as column name to value. */
    private static Map<String, Object> row(String requestId) throws SQLException {
        try (Connection c = db(); var ps = c.prepareStatement("SELECT * FROM llm_usage WHERE request_id = ?")) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
                }
                assertThat(rs.next()).as("one row per request").isFalse();
                return row;
            }
        }
    }

    private static Map<String, Object> awaitRow(String requestId) {
        Map<String, Object>[] found = new Map[1];
        await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100)).until(() -> {
            found[0] = row(requestId);
            return found[0] != null;
        });
        return found[0];
    }

    @Test
    void everyKindOfCallBecomesARowAndTheSpendQueryAddsThemUp() throws Exception {
        ProducerTemplate template = main.getCamelContext().createProducerTemplate();

        Exchange plain = template.request("direct:ask", e -> e.getMessage().setBody("Hello"));
        Exchange streamed = template.request("direct:ask-stream", e -> e.getMessage().setBody("Count to ten"));
        Exchange failed = template.request("llm:broken", e -> e.getMessage().setBody("Hello"));
        HttpResponse<String> viaGateway = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + TEAM_A).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"local\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(plain.getException()).isNull();
        assertThat(streamed.getException()).isNull();
        assertThat(failed.getException()).isNotNull();
        assertThat(viaGateway.statusCode()).isEqualTo(200);

        Map<String, Object> p = awaitRow(plain.getExchangeId());
        assertThat(p).containsEntry("profile", "local").containsEntry("provider", "onnx").containsEntry("outcome", "ok")
                .containsEntry("stream", false).containsEntry("cache_hit", false).containsEntry("gateway_key", null)
                .containsEntry("input_tokens", 13L).containsEntry("ttft_ms", null).containsEntry("attempts", 1);
        assertThat((Long) p.get("output_tokens")).isPositive();
        assertThat((Double) p.get("cost_usd")).isPositive();
        assertThat(p.get("finished_at")).isNotNull();

        Map<String, Object> s = awaitRow(streamed.getExchangeId());
        assertThat(s).containsEntry("stream", true).containsEntry("outcome", "ok");
        assertThat((Long) s.get("output_tokens")).isPositive();
        assertThat((Long) s.get("ttft_ms")).isNotNull().isGreaterThanOrEqualTo(0L);

        Map<String, Object> f = awaitRow(failed.getExchangeId());
        assertThat(f).containsEntry("profile", "broken").containsEntry("outcome", "error").containsEntry("provider", "openai")
                .containsEntry("input_tokens", 0L).containsEntry("cost_usd", null);
        assertThat(f.get("error_type")).isNotNull();

        String requestId = viaGateway.headers().firstValue("x-request-id").orElseThrow();
        Map<String, Object> g = awaitRow(requestId);
        assertThat(g).containsEntry("gateway_key", "team-a").containsEntry("profile", "local").containsEntry("outcome", "ok");
        assertThat((Double) g.get("cost_usd")).isPositive();

        // docs/observability.md's query: spend per gateway key per day
        try (Connection c = db(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(SPEND_PER_KEY_PER_DAY)) {
            Map<String, Double> spend = new HashMap<>();
            while (rs.next()) {
                spend.put(rs.getString("gateway_key"), rs.getDouble("cost_usd"));
                assertThat(rs.getObject("day")).isNotNull();
            }
            assertThat(spend.get("team-a")).isEqualTo((Double) g.get("cost_usd"));
            // the calls without a key are grouped under (none)
            assertThat(spend.get("(none)")).isEqualTo((Double) p.get("cost_usd") + (Double) s.get("cost_usd"),
                    org.assertj.core.data.Offset.offset(1e-12));
        }
        try (Connection c = db(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM llm_usage")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(4);
        }
    }

    /** The same text as in docs/observability.md. */
    static final String SPEND_PER_KEY_PER_DAY = """
            SELECT coalesce(gateway_key, '(none)')                 AS gateway_key,
                   date_trunc('day', finished_at AT TIME ZONE 'UTC') AS day,
                   count(*)                                      AS requests,
                   sum(input_tokens)                             AS input_tokens,
                   sum(output_tokens)                            AS output_tokens,
                   sum(coalesce(cost_usd, 0))                    AS cost_usd
            FROM llm_usage
            GROUP BY 1, 2
            ORDER BY 2 DESC, 6 DESC
            """;
}
