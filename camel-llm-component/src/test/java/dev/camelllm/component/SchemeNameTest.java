package dev.camelllm.component;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The llm scheme may be claimed by another jar too (Apache Camel's camel-openai from 4.23 on). Our component
 * works under a name of its own, in Java and in Camel Main, fallbacks included; and a second claim of llm
 * on the classpath fails the start with how to register ours under another name, whichever claim Camel
 * would have picked. The second claim is a class loader that adds a services file for llm.
 */
@Timeout(60)
class SchemeNameTest {

    private static final String KEY = "sk-scheme-test-0000000000";
    private static final String SERVICES = "META-INF/services/org/apache/camel/component/llm";

    @TempDir
    Path dir;
    private ScriptedHttpServer primary;
    private ScriptedHttpServer backup;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startFakes() throws IOException {
        primary = new ScriptedHttpServer();
        backup = new ScriptedHttpServer();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        primary.close();
        backup.close();
    }

    private static String answer(String text) {
        return "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"" + text + "\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}";
    }

    private String cloud(ScriptedHttpServer fake) {
        return "provider=openai&model=gpt-4o-mini&maxRetries=0&apiKey=" + KEY + "&baseUrl=" + fake.baseUrl() + "/v1";
    }

    private CamelContext context(ClassLoader loader) {
        DefaultCamelContext context = new DefaultCamelContext();
        if (loader != null) {
            context.setApplicationContextClassLoader(loader);
        }
        toClose.add(context);
        return context;
    }

    private static LlmComponent llm() {
        LlmComponent llm = new LlmComponent();
        llm.setEnvironment(name -> null);
        return llm;
    }

    /** The routes' profile fallbacks resolve under the component's own name, not under llm. */
    @Test
    void ourComponentWorksUnderAnotherNameInJavaFallbacksIncluded() throws Exception {
        primary.then(ex -> ex.respond(500, "application/json", "{\"error\":{\"message\":\"down\",\"type\":\"server_error\"}}"));
        backup.then(ex -> ex.respond(200, "application/json", answer("Hello from the backup")));
        CamelContext context = context(null);
        LlmComponent mylm = llm();
        LlmConfiguration backupProfile = new LlmConfiguration();
        backupProfile.setProvider("openai");
        backupProfile.setModel("gpt-4o-mini");
        backupProfile.setApiKey(KEY);
        backupProfile.setMaxRetries(0);
        backupProfile.setBaseUrl(backup.baseUrl() + "/v1");
        mylm.getProfiles().put("backup", backupProfile);
        context.addComponent("mylm", mylm);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ask").to("mylm:chat?" + cloud(primary) + "&fallbacks=backup");
            }
        });
        context.start();

        ProducerTemplate template = context.createProducerTemplate();
        org.apache.camel.Exchange out = template.request("direct:ask", e -> e.getMessage().setBody("Hi"));

        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getBody(String.class)).isEqualTo("Hello from the backup");
        assertThat(out.getMessage().getHeader(LlmConstants.FALLBACK)).isEqualTo("backup");
        assertThat(primary.requests()).hasSize(1);
        assertThat(backup.requests()).hasSize(1);
        assertThat(context.hasComponent("llm")).as("no component was made under llm").isNull();
    }

    /** What the error message tells Camel Main users to write, working. */
    @Test
    void ourComponentWorksUnderAnotherNameInCamelMain() throws Exception {
        primary.then(ex -> ex.respond(200, "application/json", answer("Hello from mylm")));
        Main main = new Main();
        Properties p = new Properties();
        p.put("camel.beans.mylm", "#class:" + LlmComponent.class.getName());
        p.put("camel.component.mylm.provider", "openai");
        p.put("camel.component.mylm.model", "gpt-4o-mini");
        p.put("camel.component.mylm.api-key", KEY);
        p.put("camel.component.mylm.max-retries", "0");
        p.put("camel.component.mylm.base-url", primary.baseUrl() + "/v1");
        main.setOverrideProperties(p);
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ask").to("mylm:chat");
            }
        });
        main.start();
        toClose.add(main::stop);

        String answer = main.getCamelContext().createProducerTemplate().requestBody("direct:ask", "Hi", String.class);

        assertThat(answer).isEqualTo("Hello from mylm");
        assertThat(primary.requests()).hasSize(1);
        assertThat(primary.requests().get(0).header("Authorization")).isEqualTo("Bearer " + KEY);
    }

    /** Camel would pick ours (its services file comes first): ours fails at start, naming the other claim. */
    @Test
    void aSecondClaimOfTheSchemeFailsOurComponentAtStart() throws Exception {
        CamelContext context = context(secondClaim(false));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ask").to("llm:chat?" + cloud(primary));
            }
        });

        assertThatThrownBy(context::start).satisfies(e -> assertThat(configurationCause(e))
                .hasMessageContaining("registered as 'llm'")
                .hasMessageContaining(OtherLlmComponent.class.getName())
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("camel.beans.mylm = #class:dev.camelllm.component.LlmComponent")
                .hasMessageContaining("context.addComponent(\"mylm\", new LlmComponent())"));
        assertThat(primary.requests()).isEmpty();
    }

    /** Camel would pick the other component (its services file comes first): ours never starts, the plugin says so. */
    @Test
    void anotherComponentWinningTheSchemeFailsTheStartWhenOursIsNotRegistered() throws Exception {
        CamelContext context = context(secondClaim(true));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ask").to("llm:chat");
            }
        });

        assertThatThrownBy(context::start).satisfies(e -> assertThat(configurationCause(e))
                .hasMessageContaining("resolved to " + OtherLlmComponent.class.getName())
                .hasMessageContaining("camel.beans.mylm = #class:dev.camelllm.component.LlmComponent"));
    }

    /** Both claims, ours under a name of its own: each scheme gets its own component, nothing fails. */
    @Test
    void bothComponentsWorkWhenOursHasItsOwnName() throws Exception {
        primary.then(ex -> ex.respond(200, "application/json", answer("Hello from mylm")));
        CamelContext context = context(secondClaim(true));
        context.addComponent("mylm", llm());
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:other").to("llm:chat");
                from("direct:ours").to("mylm:chat?" + cloud(primary));
            }
        });
        context.start();

        ProducerTemplate template = context.createProducerTemplate();
        assertThat(template.requestBody("direct:other", "Hi", String.class)).isEqualTo("from the other llm");
        assertThat(template.requestBody("direct:ours", "Hi", String.class)).isEqualTo("Hello from mylm");
        assertThat(context.hasComponent("llm")).isInstanceOf(OtherLlmComponent.class);
    }

    /**
     * The test classpath plus a directory with a second services file for llm, naming OtherLlmComponent:
     * found first (Camel resolves llm to it) or after ours, with the other jar's configurer for llm.
     */
    private ClassLoader secondClaim(boolean first) throws IOException {
        Path file = dir.resolve(SERVICES);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "class=" + OtherLlmComponent.class.getName() + "\n");
        // the other jar's configurer for the scheme comes with it
        Path configurer = dir.resolve("META-INF/services/org/apache/camel/configurer/llm-component");
        Files.createDirectories(configurer.getParent());
        Files.writeString(configurer, "class=" + OtherLlmComponentConfigurer.class.getName() + "\n");
        URLClassLoader extra = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
        toClose.add(extra);
        ClassLoader parent = getClass().getClassLoader();
        return new ClassLoader(parent) {
            @Override
            public URL getResource(String name) {
                URL own = extra.getResource(name);
                if (first && own != null) {
                    return own;
                }
                return super.getResource(name);
            }

            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                List<URL> all = new ArrayList<>(Collections.list(parent.getResources(name)));
                List<URL> own = Collections.list(extra.getResources(name));
                all.addAll(first ? 0 : all.size(), own);
                return Collections.enumeration(all);
            }
        };
    }

    private static Throwable configurationCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof LlmConfigurationException) {
                return c;
            }
        }
        throw new AssertionError("no LlmConfigurationException in the cause chain", t);
    }
}
