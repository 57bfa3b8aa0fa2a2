package dev.camelllm.routes;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.spi.Json;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who can reach the app's routes, as application.properties sets it up: the HTTP server listens on loopback
 * only (the test leaves camel.server.host to the app), and once a gateway key is configured every route,
 * /observe/* included, asks for it; the gateway's /v1/health stays open.
 */
@Timeout(60)
class RouteAccessTest extends RoutesTestSupport {

    private static final String GATEWAY_KEY = "gw-routes-access-0123456789";
    private static final int PORT = freePort();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = super.useOverridePropertiesWithPropertiesComponent();
        p.remove("camel.server.host"); // the app's own default is under test
        p.put("camel.server.port", String.valueOf(PORT));
        p.put("llm.gateway.keys.default.key", GATEWAY_KEY);
        return p;
    }

    private HttpResponse<String> send(String method, String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "text/plain")
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("Hello"));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theServerListensOnLoopbackOnly() throws Exception {
        startWithDirectEntries();

        try (Socket loopback = new Socket()) {
            loopback.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), PORT), 2000);
        }
        Optional<InetAddress> outside = NonLoopbackAddress.find();
        if (outside.isPresent()) {
            NonLoopbackAddress.assertRefused(outside.get(), PORT);
        } else {
            // a machine with loopback only: the address the server was told to listen on
            assertThat(context.resolvePropertyPlaceholders("{{camel.server.host}}")).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void everyRouteAsksForTheGatewayKey() throws Exception {
        startWithDirectEntries();

        for (String path : new String[] {"/chat", "/chat/stream", "/ask", "/weather", "/resilient/fallback",
                "/resilient/breaker", "/resilient/throttle"}) {
            HttpResponse<String> r = send("POST", path, null);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(Json.parse(r.body()).path("error").path("type").asText()).as(path).isEqualTo("authentication_error");
            assertThat(send("POST", path, "gw-wrong-0000000000").statusCode()).as(path).isEqualTo(401);
        }
        String[] observe = {"/observe/health", "/observe/metrics"};
        for (String path : observe) {
            assertThat(send("GET", path, null).statusCode()).as(path).isEqualTo(401);
        }
        // nothing reached a provider without the key
        assertThat(local.requests()).isEmpty();
        assertThat(cloud.requests()).isEmpty();
        for (String path : observe) {
            // with the key: the endpoint's own answer (health is 503 DOWN here: the fakes answer no probes)
            assertThat(send("GET", path, GATEWAY_KEY).statusCode()).as(path).isIn(200, 503);
        }
        assertThat(send("GET", "/v1/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aRouteAnswersWithTheGatewayKey() throws Exception {
        startWithDirectEntries();
        local.then(ex -> ex.respond(200, "application/json", completion("local-model", "Hi there")));

        HttpResponse<String> r = send("POST", "/chat", GATEWAY_KEY);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("Hi there");
    }
}
