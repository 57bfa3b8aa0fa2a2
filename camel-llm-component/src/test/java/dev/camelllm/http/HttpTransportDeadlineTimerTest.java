package dev.camelllm.http;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.testsupport.ScriptedHttpServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request answered before its deadline leaves no timer behind: a cancelled timer that stayed queued until
 * its deadline (5 minutes by default) would hold the request, body included, and at thousands of requests a
 * second grow the heap by hundreds of megabytes.
 */
@Timeout(30)
class HttpTransportDeadlineTimerTest {

    private final HttpTransport http = new HttpTransport(HttpSettings.defaults());
    private final ScriptedHttpServer server = new ScriptedHttpServer();

    HttpTransportDeadlineTimerTest() throws Exception {
    }

    @AfterEach
    void close() throws Exception {
        http.close();
        server.close();
    }

    @Test
    void answeredRequestsLeaveNoDeadlineTimerQueued() {
        for (int i = 0; i < 20; i++) {
            server.then(ex -> ex.respond(200, "application/json", "{\"ok\":true}"));
        }
        for (int i = 0; i < 20; i++) {
            HttpResult result = http.postJson(URI.create(server.baseUrl() + "/v1/x"), Map.of(), "{\"n\":" + i + "}",
                    Duration.ofSeconds(10), Duration.ofMinutes(5), null, "test", "m");
            assertThat(result.status()).isEqualTo(200);
        }
        assertThat(http.pendingDeadlines()).isZero();
    }
}
