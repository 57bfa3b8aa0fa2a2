package dev.camelllm.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camelllm.api.ChatResponse;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.StatefulService;
import org.apache.camel.main.Main;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gateway's call of {@code llm:<profile>}: one producer per profile, made on the profile's first call, kept
 * for the next, none for a profile nobody calls, all stopped with the route; an unknown profile is an error on
 * the exchange, not a thrown one.
 */
@Timeout(60)
class ProfileCallTest {

    private Main main;
    private CamelContext context;

    @BeforeEach
    void start() throws Exception {
        main = new Main();
        java.util.Properties p = new java.util.Properties();
        p.put("camel.component.llm.profiles[used].provider", "echo");
        p.put("camel.component.llm.profiles[idle].provider", "echo");
        main.setOverrideProperties(p);
        main.start();
        context = main.getCamelContext();
    }

    @AfterEach
    void stop() {
        main.stop();
    }

    @Test
    void aProducerPerCalledProfileIsMadeOnceAndStoppedWithTheRoute() throws Exception {
        ProfileCall call = new ProfileCall(context, "llm", "fullResponse=true");
        call.start();

        assertThat(text(send(call, "used", "first"))).isEqualTo("FIRST");
        AsyncProducer made = call.producers().get("used");
        assertThat(text(send(call, "used", "second"))).isEqualTo("SECOND");

        assertThat(call.producers()).containsOnlyKeys("used");
        assertThat(call.producers().get("used")).as("the same producer for the second call").isSameAs(made);
        assertThat(context.getEndpoints().stream().map(e -> e.getEndpointUri()).filter(u -> u.contains("idle")))
                .as("no endpoint for a profile nobody called").isEmpty();

        call.stop();
        assertThat(((StatefulService) made).isStopped()).as("its producer stops with it").isTrue();
        assertThat(call.producers()).isEmpty();
    }

    @Test
    void aProfileTheComponentDoesNotKnowFailsTheExchange() throws Exception {
        ProfileCall call = new ProfileCall(context, "llm", "fullResponse=true");
        call.start();
        try {
            Exchange exchange = send(call, "nosuch", "hi");
            assertThat(exchange.getException()).isNotNull();
            assertThat(List.of(exchange.getException().getMessage(), String.valueOf(
                    exchange.getException().getCause()))).anySatisfy(m -> assertThat(m).contains("nosuch"));
            assertThat(call.producers()).isEmpty();
        } finally {
            call.stop();
        }
    }

    private Exchange send(ProfileCall call, String profile, String prompt) throws InterruptedException {
        Exchange exchange = new DefaultExchange(context);
        exchange.setProperty(GatewayIngress.PROFILE_PROPERTY, profile);
        exchange.getMessage().setBody(prompt);
        CountDownLatch done = new CountDownLatch(1);
        call.process(exchange, sync -> done.countDown());
        assertThat(done.await(30, TimeUnit.SECONDS)).as("the call answered").isTrue();
        return exchange;
    }

    private static String text(Exchange exchange) {
        assertThat(exchange.getException()).isNull();
        return exchange.getMessage().getBody(ChatResponse.class).text();
    }
}
