package dev.camelllm.http;

import javax.net.ssl.SSLContext;

/**
 * How a transport reaches the outside: the proxy rules and the TLS context (null: the JVM's default trust
 * store). Endpoints with equal settings share one transport; the SSL context compares by identity, so the
 * component creates one per SSLContextParameters.
 */
public record NetworkSettings(ProxyRules proxy, SSLContext sslContext) {

    public NetworkSettings {
        proxy = proxy == null ? ProxyRules.DIRECT : proxy;
    }

    public static NetworkSettings direct() {
        return new NetworkSettings(ProxyRules.DIRECT, null);
    }
}
