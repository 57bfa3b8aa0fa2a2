package dev.camelllm.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.junit.jupiter.api.Test;

/** The llm.gateway.* settings as an operator writes them, and the errors for what is wrong in them. */
class GatewayConfigurationTest {

    private static GatewayConfiguration read(String... pairs) {
        Properties p = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            p.put(pairs[i], pairs[i + 1]);
        }
        DefaultCamelContext context = new DefaultCamelContext();
        try {
            PropertiesComponent properties = context.getPropertiesComponent();
            properties.setInitialProperties(p);
            return GatewayConfiguration.fromProperties(properties);
        } finally {
            context.stop();
        }
    }

    @Test
    void keysModelsAndLimitsInKebabOrCamelCase() {
        GatewayConfiguration c = read(
                "llm.gateway.keys.team-a.key", "secret-a",
                "llm.gateway.keys.team-a.models", "local, cloud",
                "llm.gateway.keys.team-a.requests-per-minute", "30",
                "llm.gateway.keys.team-a.tokensPerMinute", "5000",
                "llm.gateway.models.gpt-4o-mini.profile", "cloud",
                "llm.gateway.models.gpt-4o-mini.model", "gpt-4o-mini",
                "llm.gateway.cors-origins", "http://a.example,http://b.example",
                "llm.gateway.maxBodyBytes", "1024",
                "other.setting", "ignored");

        GatewayConfiguration.KeySettings key = c.getKeys().get("team-a");
        assertThat(key.getKey()).isEqualTo("secret-a");
        assertThat(key.getModels()).containsExactly("local", "cloud");
        assertThat(key.getRequestsPerMinute()).isEqualTo(30);
        assertThat(key.getTokensPerMinute()).isEqualTo(5000);
        assertThat(c.getModels()).containsEntry("gpt-4o-mini", new GatewayConfiguration.ModelRoute("cloud", "gpt-4o-mini"));
        assertThat(c.getCorsOrigins()).containsExactly("http://a.example", "http://b.example");
        assertThat(c.getMaxBodyBytes()).isEqualTo(1024);
    }

    @Test
    void guardedPathsAreReadAndMustBePaths() {
        assertThat(read("llm.gateway.guarded-paths", "/chat, /resilient/*").getGuardedPaths())
                .containsExactly("/chat", "/resilient/*");
        assertThat(read().getGuardedPaths()).isEmpty();
        assertThatThrownBy(() -> read("llm.gateway.guarded-paths", "chat"))
                .hasMessageContaining("llm.gateway.guarded-paths").hasMessageContaining("'chat'");
    }

    @Test
    void placeholdersAreResolved() {
        GatewayConfiguration c = read("llm.gateway.keys.k.key", "{{gw.secret}}", "gw.secret", "from-placeholder");

        assertThat(c.getKeys().get("k").getKey()).isEqualTo("from-placeholder");
    }

    @Test
    void anUnknownSettingIsNamed() {
        assertThatThrownBy(() -> read("llm.gateway.keys.k.secret", "x"))
                .hasMessageContaining("'llm.gateway.keys.k.secret'").hasMessageContaining("docs/gateway.md");
        assertThatThrownBy(() -> read("llm.gateway.max-body-bytes", "lots"))
                .hasMessageContaining("llm.gateway.max-body-bytes").hasMessageContaining("whole number");
    }

    @Test
    void whatIsNotSetKeepsItsDefault() {
        GatewayConfiguration c = read("llm.gateway.keys.only-secret.key", "s", "llm.gateway.basePath", "/api");

        GatewayConfiguration.KeySettings key = c.getKeys().get("only-secret");
        assertThat(key.getModels()).containsExactly("*");
        assertThat(key.getRequestsPerMinute()).isZero();
        assertThat(key.getTokensPerMinute()).isZero();
        assertThat(c.getBasePath()).isEqualTo("/api");
        assertThat(c.getMaxBodyBytes()).isEqualTo(8L * 1024 * 1024);
        assertThat(c.getCorsOrigins()).isEmpty();
        assertThat(c.getModels()).isEmpty();
        assertThat(read().getBasePath()).isEqualTo("/v1");
    }

    @Test
    void namesAreKeptAsWrittenAndAModelNameMayHoldDots() {
        GatewayConfiguration c = read(
                "llm.gateway.models.gpt-4.1-mini.profile", "cloud",
                "llm.gateway.models.Claude.model", "claude-sonnet-4-5",
                "llm.gateway.models.Claude.profile", "cloud",
                "llm.gateway.keys.Team-A.key", "a");

        assertThat(c.getModels()).containsOnlyKeys("gpt-4.1-mini", "Claude");
        assertThat(c.getModels().get("gpt-4.1-mini")).isEqualTo(new GatewayConfiguration.ModelRoute("cloud", null));
        assertThat(c.getModels().get("Claude"))
                .isEqualTo(new GatewayConfiguration.ModelRoute("cloud", "claude-sonnet-4-5"));
        assertThat(c.getKeys()).containsOnlyKeys("Team-A");
    }

    @Test
    void aSecretThatLooksLikeABeanReferenceIsTakenAsWritten() {
        GatewayConfiguration c = read("llm.gateway.keys.a.key", "#secret", "llm.gateway.keys.b.key", "#bean:nothing",
                "llm.gateway.keys.c.key", "#class:java.lang.Object", "llm.gateway.keys.d.key", "#property:gw.other",
                "gw.other", "x");

        assertThat(c.getKeys().get("a").getKey()).isEqualTo("#secret");
        assertThat(c.getKeys().get("b").getKey()).isEqualTo("#bean:nothing");
        assertThat(c.getKeys().get("c").getKey()).isEqualTo("#class:java.lang.Object");
        assertThat(c.getKeys().get("d").getKey()).isEqualTo("#property:gw.other");
        assertThatThrownBy(() -> read("llm.gateway.keys.e.requests-per-minute", "#5"))
                .hasMessageContaining("'llm.gateway.keys.e.requests-per-minute' must be a whole number, not '#5'");
    }

    @Test
    void everyMalformedSettingIsNamed() {
        for (String setting : List.of("llm.gateway.base-paht", "llm.gateway.keys.k", "llm.gateway.keys",
                "llm.gateway.models.m.upstream", "llm.gateway.limits.k.key", "llm.gateway.keys.[x].key",
                "llm.gateway.max-body-bytes.x")) {
            assertThatThrownBy(() -> read(setting, "1")).as(setting)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Unknown gateway setting '" + setting + "'");
        }
        assertThatThrownBy(() -> read("llm.gateway.keys.k.requests-per-minute", "many"))
                .hasMessage("Gateway setting 'llm.gateway.keys.k.requests-per-minute' must be a whole number, not 'many'");
    }

    @Test
    void aModelOnAProfileThatDoesNotExistFailsAtStart() {
        GatewayConfiguration c = new GatewayConfiguration().addModel("gpt", "nowhere", null);

        assertThatThrownBy(() -> new Gateway(c, List.of("local", "cloud")))
                .hasMessageContaining("'gpt'").hasMessageContaining("'nowhere'").hasMessageContaining("[local, cloud]");
    }

    @Test
    void aKeyWithAnEmptySecretIsOffAndNoKeyOpensTheGateway() {
        GatewayConfiguration c = new GatewayConfiguration()
                .addKey("unset", new GatewayConfiguration.KeySettings().setKey(""));
        KeyRing ring = new KeyRing(c.getKeys());

        assertThat(ring.isEmpty()).isTrue();
        assertThatThrownBy(() -> ring.authenticate("Bearer ", ""))
                .hasMessageContaining("No gateway key");
        assertThatThrownBy(() -> ring.authenticate(null, "anything"))
                .hasMessageContaining("no keys configured");
    }
}
