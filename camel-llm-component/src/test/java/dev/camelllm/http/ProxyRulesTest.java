package dev.camelllm.http;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.camelllm.api.LlmConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where the proxy of a request comes from, and which hosts bypass it. */
class ProxyRulesTest {

    private static ProxyRules fromEnv(Map<String, String> env) {
        return ProxyRules.resolve(null, null, name -> null, env::get);
    }

    @Test
    void environmentProxiesPerSchemeLowerCaseFirstWithEncodedCredentials() {
        ProxyRules rules = fromEnv(Map.of("https_proxy", "http://us%40er:p%3Ass@proxy.example:3128",
                "HTTPS_PROXY", "http://ignored.example:1", "HTTP_PROXY", "plain.example:8080"));

        ProxyServer https = rules.select("https", "api.openai.com");
        assertThat(https.host()).isEqualTo("proxy.example");
        assertThat(https.port()).isEqualTo(3128);
        assertThat(https.user()).isEqualTo("us@er");
        assertThat(https.password()).isEqualTo("p:ss");
        assertThat(https.toString()).doesNotContain("p:ss").contains("****").contains("https_proxy");
        assertThat(rules.select("http", "localhost").host()).isEqualTo("plain.example");
        assertThat(rules.select("http", "localhost").port()).isEqualTo(8080);
    }

    @Test
    void noProxyEntries() {
        ProxyRules rules = fromEnv(Map.of("HTTPS_PROXY", "http://p:1", "NO_PROXY", "example.com, .internal,10.*,[::1]:8080,host:443"));

        assertThat(rules.select("https", "example.com")).isNull();
        assertThat(rules.select("https", "api.example.com")).isNull();
        assertThat(rules.select("https", "badexample.com")).isNotNull();
        assertThat(rules.select("https", "internal")).isNull();
        assertThat(rules.select("https", "a.b.internal")).isNull();
        assertThat(rules.select("https", "10.1.2.3")).isNull();
        assertThat(rules.select("https", "[::1]")).isNull();
        assertThat(rules.select("https", "host")).isNull();
        assertThat(rules.select("https", "api.openai.com")).isNotNull();
        assertThat(fromEnv(Map.of("HTTPS_PROXY", "http://p:1", "no_proxy", "*")).select("https", "any.where")).isNull();
    }

    @Test
    void jvmPropertiesWinOverTheEnvironmentAndTheOptionsWinOverBoth() {
        Map<String, String> jvm = Map.of("https.proxyHost", "jvm.example", "http.nonProxyHosts", "*.corp|localhost");
        Map<String, String> env = Map.of("HTTPS_PROXY", "http://env.example:9");

        ProxyRules fromJvm = ProxyRules.resolve(null, null, jvm::get, env::get);
        assertThat(fromJvm.select("https", "api.openai.com").host()).isEqualTo("jvm.example");
        assertThat(fromJvm.select("https", "api.openai.com").port()).as("the JVM's default https.proxyPort").isEqualTo(443);
        assertThat(fromJvm.select("https", "git.corp")).isNull();
        assertThat(fromJvm.select("http", "api.openai.com")).as("no http proxy anywhere").isNull();

        ProxyServer explicit = new ProxyServer("opt.example", 3128, null, null, "option proxyHost");
        ProxyRules fromOptions = ProxyRules.resolve(explicit, "*.local", jvm::get, env::get);
        assertThat(fromOptions.select("https", "api.openai.com")).isEqualTo(explicit);
        assertThat(fromOptions.select("http", "api.openai.com")).isEqualTo(explicit);
        assertThat(fromOptions.select("https", "gpu.local")).isNull();
    }

    @Test
    void badValuesNameTheirSource() {
        assertThatThrownBy(() -> fromEnv(Map.of("HTTPS_PROXY", "socks5://p:1080")))
                .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("HTTPS_PROXY").hasMessageContaining("socks5");
        assertThatThrownBy(() -> fromEnv(Map.of("HTTP_PROXY", "http://p:99999")))
                .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("HTTP_PROXY").hasMessageContaining("99999");
        assertThatThrownBy(() -> ProxyRules.resolve(null, null, Map.of("https.proxyHost", "p", "https.proxyPort", "x")::get, n -> null))
                .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("https.proxyPort");
    }
}
