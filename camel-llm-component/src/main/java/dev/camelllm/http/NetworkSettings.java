package dev.camelllm.http;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * How a transport reaches the outside: the proxy rules and the TLS context (null: the JVM's default trust
 * store). Endpoints with equal settings share one transport; the SSL context compares by identity, so the
 * component creates one per SSLContextParameters. The same parameters' trust and key managers (null: the JVM's
 * defaults) are for a client that takes managers rather than an SSLContext, such as the AWS SDK's Netty client.
 */
public record NetworkSettings(ProxyRules proxy, SSLContext sslContext, TrustManager[] trustManagers,
                              KeyManager[] keyManagers) {

    public NetworkSettings {
        proxy = proxy == null ? ProxyRules.DIRECT : proxy;
    }

    public NetworkSettings(ProxyRules proxy, SSLContext sslContext) {
        this(proxy, sslContext, null, null);
    }

    public static NetworkSettings direct() {
        return new NetworkSettings(ProxyRules.DIRECT, null);
    }
}
