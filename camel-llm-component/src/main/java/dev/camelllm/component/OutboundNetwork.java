package dev.camelllm.component;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.http.HttpSettings;
import dev.camelllm.http.HttpTransport;
import dev.camelllm.http.NetworkSettings;
import dev.camelllm.http.ProxyRules;
import dev.camelllm.http.ProxyServer;

/**
 * The outbound HTTP transports of one component, one per distinct network setting (proxy and TLS): an
 * endpoint's options (component, then profile, then URI) become its {@link NetworkSettings}, and endpoints
 * that come out the same share a transport and its pool. Closed with the component.
 */
final class OutboundNetwork implements AutoCloseable {

    private final CamelContext camelContext;
    private final HttpSettings http;
    private final Function<String, String> systemProperty;
    private final Function<String, String> environment;
    private final SSLContextParameters globalSsl;
    private final Map<NetworkSettings, HttpTransport> transports = new ConcurrentHashMap<>();
    /** One SSLContext per parameters object, so that endpoints with the same parameters compare equal. */
    private final Map<SSLContextParameters, Tls> sslContexts = new IdentityHashMap<>();

    /**
     * @param globalSsl the Camel context's SSL parameters when useGlobalSslContextParameters is on, else null
     */
    OutboundNetwork(CamelContext camelContext, HttpSettings http, Function<String, String> systemProperty,
                    Function<String, String> environment, SSLContextParameters globalSsl) {
        this.camelContext = camelContext;
        this.http = http;
        this.systemProperty = systemProperty;
        this.environment = environment;
        this.globalSsl = globalSsl;
    }

    /** The transport of an endpoint with these options. */
    HttpTransport transport(LlmConfiguration options) {
        return transports.computeIfAbsent(settings(options), network -> new HttpTransport(http, network));
    }

    /** Transports created so far (each with its own pool). */
    Iterable<HttpTransport> transports() {
        return transports.values();
    }

    NetworkSettings settings(LlmConfiguration options) {
        ProxyRules proxy = ProxyRules.resolve(explicitProxy(options), options.getNonProxyHosts(), systemProperty, environment);
        SSLContextParameters ssl = options.getSslContextParameters() != null ? options.getSslContextParameters() : globalSsl;
        if (ssl == null) {
            return new NetworkSettings(proxy, null);
        }
        Tls tls = tls(ssl);
        return new NetworkSettings(proxy, tls.context(), tls.trust(), tls.keys());
    }

    private static ProxyServer explicitProxy(LlmConfiguration options) {
        String host = blankToNull(options.getProxyHost());
        if (host == null) {
            // credentials or a port from options never apply to a proxy from the JVM properties or HTTPS_PROXY
            String orphan = options.getProxyPort() != null ? "proxyPort"
                    : blankToNull(options.getProxyUser()) != null ? "proxyUser"
                    : blankToNull(options.getProxyPassword()) != null ? "proxyPassword" : null;
            if (orphan != null) {
                throw new LlmConfigurationException("Option '" + orphan + "' is set but 'proxyHost' is not: set proxyHost too");
            }
            return null;
        }
        if (options.getProxyPort() == null) {
            throw new LlmConfigurationException("Option 'proxyPort' is required with proxyHost " + host);
        }
        if (blankToNull(options.getProxyPassword()) != null && blankToNull(options.getProxyUser()) == null) {
            throw new LlmConfigurationException("Option 'proxyPassword' is set but 'proxyUser' is not");
        }
        return new ProxyServer(host, options.getProxyPort(), blankToNull(options.getProxyUser()), options.getProxyPassword(),
                "option proxyHost");
    }

    /** The TLS material of one SSLContextParameters, made once: an SSLContext and the managers behind it. */
    private record Tls(SSLContext context, TrustManager[] trust, KeyManager[] keys) { }

    private Tls tls(SSLContextParameters parameters) {
        synchronized (sslContexts) {
            Tls tls = sslContexts.get(parameters);
            if (tls == null) {
                try {
                    SSLContext context = parameters.createSSLContext(camelContext);
                    TrustManagersParameters trust = parameters.getTrustManagers();
                    KeyManagersParameters keys = parameters.getKeyManagers();
                    if (trust != null) {
                        trust.setCamelContext(camelContext);
                    }
                    if (keys != null) {
                        keys.setCamelContext(camelContext);
                    }
                    tls = new Tls(context, trust == null ? null : trust.createTrustManagers(),
                            keys == null ? null : keys.createKeyManagers());
                } catch (Exception e) {
                    // the parameters' own message names the store or the algorithm; a store password is not in it
                    throw new LlmConfigurationException("Option 'sslContextParameters' cannot make a TLS context: "
                            + e.getMessage(), e);
                }
                sslContexts.put(parameters, tls);
            }
            return tls;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    @Override
    public void close() {
        transports.values().forEach(HttpTransport::close);
        transports.clear();
    }
}
