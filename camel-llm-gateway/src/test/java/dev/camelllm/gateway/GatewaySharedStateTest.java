package dev.camelllm.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.resilience.TokenEstimate;
import dev.camelllm.spi.Json;
import dev.camelllm.testsupport.RedisServer;
import dev.camelllm.testsupport.RedisServerExtension;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two gateway instances (two Camel Mains, each with its own HTTP port) in front of one OpenAI-format upstream,
 * sharing their limits and budgets in a real redis-server: what one instance lets through, the other counts.
 */
@Timeout(120)
class GatewaySharedStateTest {

    private static final String LIMITED_KEY = "gw-shared-limited-0123456789";
    private static final String BUDGET_KEY = "gw-shared-budget-0123456789";
    private static final String SPARE_KEY = "gw-shared-spare-0123456789";
    private static final String WIDE_KEY = "gw-shared-wide-0123456789";
    /** 0.001 USD a token in and out: an answer of 10 + 5 tokens costs 0.015 USD. */
    private static final String PRICE_PER_MILLION = "1000";
    private static final BigDecimal ANSWER_COST = new BigDecimal("0.015");
    private static final String BUDGET_USD = "0.5";
    private static final String HELLO = "{\"model\":\"gpt\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";

    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private RedisServer redis;
    private static WireMockServer upstream;
    private final List<Main> instances = new ArrayList<>();

    @BeforeAll
    static void startUpstream() {
        upstream = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(40));
        upstream.start();
        upstream.stubFor(WireMock.post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"id":"chatcmpl-shared1","object":"chat.completion","created":1741570283,"model":"gpt-test",
                         "choices":[{"index":0,"message":{"role":"assistant","content":"Hi there.","refusal":null},
                         "logprobs":null,"finish_reason":"stop"}],
                         "usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}}""")));
    }

    @AfterAll
    static void stopUpstream() {
        if (upstream != null) {
            upstream.stop();
        }
    }

    @BeforeEach
    void resetUpstream() {
        redis = REDIS.server();
        upstream.resetRequests();
    }

    @AfterEach
    void stopInstances() {
        for (Main m : instances) {
            m.stop();
        }
        instances.clear();
    }

    /** Starts one gateway instance; returns its base URL. */
    private String instance(String failureMode) throws Exception {
        int port = GatewayTestSupport.freePort();
        Properties p = GatewayTestSupport.serverOn(port);
        String llm = "camel.component.llm.";
        p.put(llm + "state-store", redis.uri());
        p.put(llm + "state-store-failure-mode", failureMode);
        p.put(llm + "state-store-timeout", "200");
        p.put(llm + "profiles[gpt].provider", "openai");
        p.put(llm + "profiles[gpt].base-url", upstream.baseUrl() + "/v1");
        p.put(llm + "profiles[gpt].model", "gpt-test");
        p.put(llm + "profiles[gpt].api-key", "sk-shared-provider-key");
        p.put(llm + "profiles[gpt].max-retries", "0");
        // the same upstream behind a profile with a budget of its own: two answers' worth, in total
        p.put(llm + "profiles[capped].provider", "openai");
        p.put(llm + "profiles[capped].base-url", upstream.baseUrl() + "/v1");
        p.put(llm + "profiles[capped].model", "gpt-test");
        p.put(llm + "profiles[capped].api-key", "sk-shared-provider-key");
        p.put(llm + "profiles[capped].max-retries", "0");
        p.put(llm + "profiles[capped].budget", "0.03");
        p.put(llm + "profiles[capped].budget-period", "total");
        // the same upstream with the exact response cache on: in Redis, since the state store is shared
        p.put(llm + "profiles[cached].provider", "openai");
        p.put(llm + "profiles[cached].base-url", upstream.baseUrl() + "/v1");
        p.put(llm + "profiles[cached].model", "gpt-test");
        p.put(llm + "profiles[cached].api-key", "sk-shared-provider-key");
        p.put(llm + "profiles[cached].max-retries", "0");
        p.put(llm + "profiles[cached].cache", "true");
        p.put(llm + "prices[gpt-test].input", PRICE_PER_MILLION);
        p.put(llm + "prices[gpt-test].output", PRICE_PER_MILLION);
        String gw = GatewayConfiguration.PREFIX;
        p.put(gw + "keys.limited.key", LIMITED_KEY);
        p.put(gw + "keys.limited.requests-per-minute", "2");
        p.put(gw + "keys.budgeted.key", BUDGET_KEY);
        p.put(gw + "keys.budgeted.budget", BUDGET_USD);
        p.put(gw + "keys.budgeted.budget-period", "day");
        p.put(gw + "keys.spare.key", SPARE_KEY);
        p.put(gw + "keys.spare.requests-per-minute", "1000");
        // limits large enough for local leases (the default stateStoreLeaseFraction 0.001: 20 requests, 2,000 tokens)
        p.put(gw + "keys.wide.key", WIDE_KEY);
        p.put(gw + "keys.wide.requests-per-minute", "20000");
        p.put(gw + "keys.wide.tokens-per-minute", "2000000");
        Main main = new Main();
        main.setOverrideProperties(p);
        main.configure().addRoutesBuilder(new LlmGatewayRoutes());
        main.start();
        instances.add(main);
        return "http://127.0.0.1:" + port;
    }

    private static HttpRequest chat(String base, String key) {
        return chat(base, key, HELLO);
    }

    private static HttpRequest chat(String base, String key, String body) {
        return HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static HttpResponse<String> send(String base, String key) throws Exception {
        return GatewayTestSupport.HTTP.send(chat(base, key), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aKeyWithLargeLimitsCostsFarFewerScriptCallsThanRequestsAcrossBothInstances() throws Exception {
        String a = instance("fail-closed");
        String b = instance("fail-closed");
        assertThat(send(a, WIDE_KEY).statusCode()).isEqualTo(200); // loads the script (a NOSCRIPT first)
        assertThat(send(b, WIDE_KEY).statusCode()).isEqualTo(200);
        assertThat(redis.command("CONFIG RESETSTAT")).isEqualTo("+OK");
        int requests = 200;
        for (int i = 0; i < requests; i++) {
            assertThat(send(i % 2 == 0 ? a : b, WIDE_KEY).statusCode()).isEqualTo(200);
        }
        // Redis's own count: without leases a take and a correction per request, 400
        long calls = redis.calls("evalsha") + redis.calls("eval");
        System.out.printf("[leases] gateway: %d requests over two instances, %d script calls%n", requests, calls);
        assertThat(calls).isLessThanOrEqualTo(requests / 4);
    }

    @Test
    void aKeyLimitedToTwoAMinuteGetsTwoAcrossBothInstancesAndTheMinuteOutlivesARestart() throws Exception {
        String a = instance("fail-closed");
        String b = instance("fail-closed");
        int ok = 0;
        int limited = 0;
        for (int i = 0; i < 8; i++) {
            HttpResponse<String> r = send(i % 2 == 0 ? a : b, LIMITED_KEY);
            if (r.statusCode() == 200) {
                ok++;
            } else if (r.statusCode() == 429) {
                limited++;
                assertThat(Json.parse(r.body()).at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
            }
        }
        assertThat(ok).isEqualTo(2);
        assertThat(limited).isEqualTo(6);

        // both instances restart: the spent minute is in Redis, not in them (a token comes back every 30 s)
        stopInstances();
        String a2 = instance("fail-closed");
        String b2 = instance("fail-closed");
        assertThat(send(a2, LIMITED_KEY).statusCode()).isEqualTo(429);
        assertThat(send(b2, LIMITED_KEY).statusCode()).isEqualTo(429);
        assertThat(send(b2, SPARE_KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void sixtyFourConcurrentRequestsNeverOverspendAKeysBudgetByMoreThanOneEstimate() throws Exception {
        String a = instance("fail-closed");
        String b = instance("fail-closed");
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            calls.add(GatewayTestSupport.HTTP.sendAsync(chat(i % 2 == 0 ? a : b, BUDGET_KEY), HttpResponse.BodyHandlers.ofString()));
        }
        int ok = 0;
        int refused = 0;
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> r = call.get(60, TimeUnit.SECONDS);
            if (r.statusCode() == 200) {
                ok++;
            } else {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
                assertThat(Json.parse(r.body()).at("/error/code").asText()).isEqualTo("insufficient_quota");
                assertThat(Json.parse(r.body()).at("/error/message").asText()).contains("Budget of gateway key 'budgeted' is spent");
                refused++;
            }
        }
        assertThat(ok + refused).isEqualTo(64);
        assertThat(refused).isPositive();

        // every call settled: Redis holds exactly what the answered calls cost (in nano-USD)
        String key = "camel-llm:budget:key:budgeted:" + LocalDate.now(ZoneOffset.UTC);
        long expected = ANSWER_COST.movePointRight(9).longValueExact() * ok;
        await().atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(expected).equals(redis.command("GET " + key)));
        BigDecimal spent = new BigDecimal(redis.command("GET " + key)).movePointLeft(9);
        // one request's estimate: its input estimate and max_tokens, at the price
        long estimateTokens = TokenEstimate.input(ChatRequest.builder().user("Hello").maxTokens(50).build()) + 50;
        BigDecimal estimate = new BigDecimal(estimateTokens).multiply(new BigDecimal(PRICE_PER_MILLION)).movePointLeft(6);
        assertThat(spent).isLessThanOrEqualTo(new BigDecimal(BUDGET_USD).add(estimate));
        // and the budget was used: a refusal needs the budget held, so at least budget / estimate calls got through
        assertThat(new BigDecimal(ok).multiply(estimate)).isGreaterThanOrEqualTo(new BigDecimal(BUDGET_USD));
        // a refused request never reached the upstream
        assertThat(upstream.countRequestsMatching(WireMock.postRequestedFor(urlEqualTo("/v1/chat/completions")).build())
                .getCount()).isEqualTo(ok);
    }

    @Test
    void aProfilesBudgetIsSpentOnceAcrossBothInstances() throws Exception {
        String a = instance("fail-closed");
        String b = instance("fail-closed");
        String capped = HELLO.replace("\"gpt\"", "\"capped\"");
        HttpResponse<String> first = GatewayTestSupport.HTTP.send(chat(a, SPARE_KEY, capped), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> second = GatewayTestSupport.HTTP.send(chat(b, SPARE_KEY, capped), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> third = GatewayTestSupport.HTTP.send(chat(a, SPARE_KEY, capped), HttpResponse.BodyHandlers.ofString());

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        // 0.015 + 0.015 USD spent of 0.03: the third, on the first instance again, is refused by the shared budget
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(Json.parse(third.body()).at("/error/code").asText()).isEqualTo("insufficient_quota");
        assertThat(Json.parse(third.body()).at("/error/message").asText())
                .contains("budget of profile 'capped' is spent").contains("of 0.03 USD in total");
        // both answers settled (sent after each answer, not waited for): exactly their cost, in nano-USD
        await().atMost(Duration.ofSeconds(5))
                .until(() -> "30000000".equals(redis.command("GET camel-llm:budget:profile:capped:total")));
    }

    @Test
    void anAnswerCachedThroughOneInstanceIsAHitOnTheOtherForTheSameKeyOnly() throws Exception {
        String a = instance("fail-open");
        String b = instance("fail-open");
        String cached = HELLO.replace("\"gpt\"", "\"cached\"");

        HttpResponse<String> first = GatewayTestSupport.HTTP.send(chat(a, SPARE_KEY, cached), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> onB = GatewayTestSupport.HTTP.send(chat(b, SPARE_KEY, cached), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> streamedOnB = GatewayTestSupport.HTTP.send(chat(b, SPARE_KEY,
                cached.replace("{\"model\"", "{\"stream\":true,\"model\"")), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> otherKey = GatewayTestSupport.HTTP.send(chat(b, LIMITED_KEY, cached), HttpResponse.BodyHandlers.ofString());

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-cache")).hasValue("miss");
        assertThat(onB.statusCode()).as(onB.body()).isEqualTo(200);
        assertThat(onB.headers().firstValue("x-cache")).hasValue("hit");
        assertThat(Json.parse(onB.body()).at("/choices/0/message/content").asText()).isEqualTo("Hi there.");
        // a streamed request replays the cached answer as server-sent events
        assertThat(streamedOnB.headers().firstValue("x-cache")).hasValue("hit");
        assertThat(streamedOnB.body()).contains("Hi there.").contains("data: [DONE]");
        // another gateway key never gets the spare key's entry
        assertThat(otherKey.headers().firstValue("x-cache")).hasValue("miss");
        assertThat(upstream.countRequestsMatching(WireMock.postRequestedFor(urlEqualTo("/v1/chat/completions")).build())
                .getCount()).isEqualTo(2);
        assertThat(redis.keys("camel-llm:cache:cached:*")).hasSize(2);
    }

    @Test
    void redisStoppedMidRunEachModeHoldsWithoutAHangAndBothShareAgainWhenItIsBack() throws Exception {
        String open = instance("fail-open");
        String closed = instance("fail-closed");
        assertThat(send(open, SPARE_KEY).statusCode()).isEqualTo(200);
        assertThat(send(closed, SPARE_KEY).statusCode()).isEqualTo(200);
        assertThat(redis.command("EXISTS camel-llm:bucket:key:spare:rpm")).isEqualTo(":1");

        redis.stop();
        long start = System.nanoTime();
        HttpResponse<String> refused = send(closed, SPARE_KEY);
        HttpResponse<String> served = send(open, SPARE_KEY);
        // decided within the store's timeout, not the request's 20 s
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(Json.parse(refused.body()).at("/error/message").asText()).contains("fail-closed").contains(redis.uri());
        assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);

        redis.start(); // empty: no persistence
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> send(closed, SPARE_KEY).statusCode() == 200);
        // the fail-open instance writes to Redis again too (its own memory decided meanwhile)
        assertThat(redis.command("DEL camel-llm:bucket:key:spare:rpm")).isEqualTo(":1");
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> send(open, SPARE_KEY).statusCode() == 200
                        && ":1".equals(redis.command("EXISTS camel-llm:bucket:key:spare:rpm")));
    }
}
