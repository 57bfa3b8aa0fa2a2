package dev.camelllm.provider.bedrock;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;
import dev.camelllm.component.LlmComponent;
import dev.camelllm.component.LlmConfiguration;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.observability.LogCapture;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static dev.camelllm.provider.bedrock.BedrockWire.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bedrock provider in real llm: routes: the resilience layer retries throttling with backoff (the SDK's own
 * retries are off), a fallback from Bedrock to another provider answers, and no secret reaches a log line or an
 * exception, also with the SDK's own logging at DEBUG.
 */
@Timeout(60)
class BedrockRouteTest extends CamelTestSupport {

    private static final String SESSION = "FwoGZXIvYXdzEXAMPLE-session-token-secret";
    private final ScriptedHttpServer bedrock = start();
    private final ScriptedHttpServer backup = start();
    private final List<Long> arrivals = new CopyOnWriteArrayList<>();

    private static ScriptedHttpServer start() {
        try {
            return new ScriptedHttpServer();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stopFakes() throws Exception {
        bedrock.close();
        backup.close();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext ctx = super.createCamelContext();
        LlmComponent llm = new LlmComponent();
        llm.setEnvironment(n -> null);
        LlmConfiguration other = new LlmConfiguration();
        other.setProvider("openai-compatible");
        other.setBaseUrl(backup.baseUrl() + "/v1");
        other.setModel("local-backup");
        other.setMaxRetries(0);
        llm.getProfiles().put("backup", other);
        ctx.addComponent("llm", llm);
        return ctx;
    }

    private String bedrockUri(String name, String more) {
        return "llm:" + name + "?provider=bedrock&model=" + MODEL + "&region=" + REGION + "&baseUrl=" + bedrock.baseUrl()
                + "&accessKey=RAW(" + ACCESS_KEY + ")&secretKey=RAW(" + SECRET_KEY + ")&sessionToken=RAW(" + SESSION + ")"
                + "&timeout=10000&resilienceGroup=" + name + more;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:retry").to(bedrockUri("retry", "&maxRetries=2&retryInitialDelay=300"));
                from("direct:fallback").to(bedrockUri("fallback", "&maxRetries=0&fallbacks=backup"));
                from("direct:streamFallback").to(bedrockUri("streamFallback", "&maxRetries=0&fallbacks=backup&stream=true"))
                        .split(body()).streaming().to("mock:tokens");
                from("direct:secrets").to(bedrockUri("secrets", "&maxRetries=0"));
            }
        };
    }

    private ScriptedHttpServer.Script timed(ScriptedHttpServer.Script script) {
        return x -> {
            arrivals.add(System.nanoTime());
            script.run(x);
        };
    }

    @Test
    void throttlingIsRetriedWithBackoffByTheComponent() {
        bedrock.then(timed(httpError(429, "ThrottlingException", "Too many requests, please wait before trying again.")),
                timed(httpError(429, "ThrottlingException", "Too many requests, please wait before trying again.")),
                timed(json(converseText("Third time lucky.", "end_turn", 9, 4))));

        Exchange ex = template.request("direct:retry", e -> e.getIn().setBody("Hello"));

        assertThat(ex.getException()).isNull();
        assertThat(ex.getMessage().getBody(String.class)).isEqualTo("Third time lucky.");
        assertThat(ex.getMessage().getHeader(LlmConstants.ATTEMPTS, Integer.class)).isEqualTo(3);
        // exactly three requests reached Bedrock: the SDK retried nothing on its own
        assertThat(bedrock.requests()).hasSize(3);
        // backoff 300 ms, then 600 ms, each ±20 %
        assertThat((arrivals.get(1) - arrivals.get(0)) / 1_000_000).isGreaterThanOrEqualTo(230);
        assertThat((arrivals.get(2) - arrivals.get(1)) / 1_000_000).isGreaterThanOrEqualTo(470);
    }

    @Test
    void aBedrockFailureFallsBackToAnotherProvider() {
        bedrock.then(httpError(503, "ServiceUnavailableException", "Bedrock is unable to process your request."));
        backup.then(x -> x.respond(200, "application/json", "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\","
                + "\"model\":\"local-backup\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                + "\"From the backup.\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3}}"));

        Exchange ex = template.request("direct:fallback", e -> e.getIn().setBody("Hello"));

        assertThat(ex.getException()).isNull();
        assertThat(ex.getMessage().getBody(String.class)).isEqualTo("From the backup.");
        assertThat(ex.getMessage().getHeader(LlmConstants.PROVIDER)).isEqualTo("openai-compatible");
        assertThat(ex.getMessage().getHeader(LlmConstants.FALLBACK)).isNotNull();
        assertThat(bedrock.requests()).hasSize(1);
        assertThat(backup.requests()).hasSize(1);
        assertThat(backup.requests().get(0).body()).contains("Hello");
    }

    @Test
    void anExceptionFrameBeforeOutputFallsBackWhenStreamed() throws Exception {
        bedrock.then(stream(messageStart(), exception("serviceUnavailableException", "Bedrock is unable to process your request.")));
        backup.then(x -> {
            x.startStream(200);
            x.send("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"local-backup\",\"choices\":[{\"index\":0,"
                    + "\"delta\":{\"role\":\"assistant\",\"content\":\"Back\"},\"finish_reason\":null}]}\n\n");
            x.send("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"local-backup\",\"choices\":[{\"index\":0,"
                    + "\"delta\":{\"content\":\"up\"},\"finish_reason\":\"stop\"}]}\n\n");
            x.send("data: [DONE]\n\n");
            x.endStream();
        });
        getMockEndpoint("mock:tokens").expectedBodiesReceived("Back", "up");

        Exchange ex = template.request("direct:streamFallback", e -> e.getIn().setBody("Hello"));

        assertThat(ex.getException()).isNull();
        getMockEndpoint("mock:tokens").assertIsSatisfied();
        assertThat(bedrock.requests()).hasSize(1);
        assertThat(backup.requests()).hasSize(1);
    }

    @Test
    void anUpstreamThatEchoesSecretsReachesNoExceptionAndNoLogOfOurs() {
        // an upstream (or a proxy in front of it) that echoes what it got is untrusted input
        bedrock.then(httpError(403, "AccessDeniedException", "denied for " + SECRET_KEY + " with " + SESSION));
        try (LogCapture logs = LogCapture.attach()) {
            Exchange ex = template.request("direct:secrets", e -> e.getIn().setBody("Hello"));

            LlmException e = ex.getException(LlmException.class);
            assertThat(e).isNotNull();
            assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
            assertThat(e.getMessage()).doesNotContain(SECRET_KEY).doesNotContain(SESSION).contains("[REDACTED]");
            for (LogCapture.Line line : logs.lines()) {
                // the SDK's DEBUG lines quote upstream error text as it came; ours and Camel's never do
                if (!line.logger().startsWith("software.amazon.awssdk")) {
                    assertThat(line.all()).as(line.logger()).doesNotContain(SECRET_KEY).doesNotContain(SESSION);
                }
            }
        }
    }

    @Test
    void withTheSdkLoggingAtDebugNoSecretIsLogged() {
        bedrock.then(json(converseText("ok", "end_turn", 1, 1)), httpError(403, "AccessDeniedException", "denied"));
        Configurator.setLevel("software.amazon.awssdk", Level.DEBUG);
        try (LogCapture logs = LogCapture.attach()) {
            assertThat(template.request("direct:secrets", e -> e.getIn().setBody("Hello")).getException()).isNull();
            assertThat(template.request("direct:secrets", e -> e.getIn().setBody("Hello")).getException()).isNotNull();

            assertThat(logs.lines()).isNotEmpty();
            String signature = bedrock.requests().get(0).header("authorization").replaceAll(".*Signature=", "");
            for (LogCapture.Line line : logs.lines()) {
                assertThat(line.all()).as(line.logger()).doesNotContain(SECRET_KEY).doesNotContain(signature);
                // the SDK's own SigV4 signer logs its canonical request, session token header included, at DEBUG:
                // the provider cannot stop that, so it warns (at start) when that logger is at DEBUG
                if (!line.logger().equals(BedrockProviderFactory.SIGNER_LOG.getName())) {
                    assertThat(line.all()).as(line.logger()).doesNotContain(SESSION);
                }
            }
        } finally {
            Configurator.setLevel("software.amazon.awssdk", Level.INFO); // the root level of log4j2-test.xml
        }
    }

    @Test
    void theSignerLoggerAtDebugIsWarnedAboutWhenASessionTokenIsSet() throws Exception {
        Configurator.setLevel(BedrockProviderFactory.SIGNER_LOG.getName(), Level.DEBUG);
        try (LogCapture logs = LogCapture.attach()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:warned").to(bedrockUri("warned", ""));
                }
            });

            assertThat(logs.of(BedrockProviderFactory.class.getName())).anySatisfy(l -> {
                assertThat(l.level()).isEqualTo(Level.WARN);
                assertThat(l.message()).contains(BedrockProviderFactory.SIGNER_LOG.getName()).doesNotContain(SESSION);
            });
        } finally {
            Configurator.setLevel(BedrockProviderFactory.SIGNER_LOG.getName(), Level.INFO);
        }
    }

    @Test
    void aBedrockApiKeyReachesNoLogLine() throws Exception {
        String token = "ABSKQmVkcm9ja0FQSUtleS1yb3V0ZS10ZXN0LXNlY3JldA==";
        bedrock.then(httpError(403, "AccessDeniedException", "bad key " + token), httpError(403, "AccessDeniedException", "denied"));
        Configurator.setLevel("software.amazon.awssdk", Level.DEBUG);
        try (LogCapture logs = LogCapture.attach()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:bearer").to("llm:bearer?provider=bedrock&model=" + MODEL + "&region=" + REGION + "&baseUrl="
                            + bedrock.baseUrl() + "&apiKey=RAW(" + token + ")&maxRetries=0");
                }
            });
            Exchange echoed = template.request("direct:bearer", e -> e.getIn().setBody("Hello"));
            template.request("direct:bearer", e -> e.getIn().setBody("Hello"));

            assertThat(bedrock.requests().get(0).header("authorization")).isEqualTo("Bearer " + token);
            assertThat(echoed.getException().getMessage()).doesNotContain(token).contains("[REDACTED]");
            // the second call's log lines (no echo): the token is in none, the SDK's included
            for (LogCapture.Line line : logs.lines()) {
                if (!line.all().contains("bad key")) {
                    assertThat(line.all()).as(line.logger()).doesNotContain(token);
                }
            }
        } finally {
            Configurator.setLevel("software.amazon.awssdk", Level.INFO); // the root level of log4j2-test.xml
        }
    }
}
