package dev.camelllm.http;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import dev.camelllm.api.LlmConfigurationException;

/**
 * A forward proxy for outbound HTTP: where it is, the user and password it wants (Basic, both null when
 * it wants none), and where the setting came from, for messages. {@link #toString()} never shows the
 * password.
 */
public record ProxyServer(String host, int port, String user, String password, String source) {

    public ProxyServer {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new LlmConfigurationException("The proxy host from " + source + " is empty");
        }
        if (port < 1 || port > 65535) {
            throw new LlmConfigurationException("The proxy port from " + source + " is " + port + ": it must be 1 to 65535");
        }
        user = user == null || user.isEmpty() ? null : user;
        password = user == null ? null : password;
    }

    public boolean hasCredentials() {
        return user != null;
    }

    /**
     * A proxy written as a URL, as HTTPS_PROXY and HTTP_PROXY are: {@code http://[user[:password]@]host[:port]},
     * the scheme optional, the port 80 when left out; user and password may be percent-encoded. Only plain
     * HTTP proxies are supported (HTTP to the proxy; https targets go through it with CONNECT).
     *
     * @param source what set it (e.g. "the HTTPS_PROXY environment variable"), for the message of a bad value
     */
    public static ProxyServer parse(String url, String source) {
        String value = url.trim();
        URI uri;
        try {
            uri = URI.create(value.contains("://") ? value : "http://" + value);
        } catch (IllegalArgumentException e) {
            throw new LlmConfigurationException("The proxy from " + source + " is not a URL like http://proxy.example:3128");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            throw new LlmConfigurationException("The proxy from " + source + " uses " + uri.getScheme()
                    + "://; only http:// proxies are supported (https targets go through them with CONNECT)");
        }
        if (uri.getHost() == null) {
            throw new LlmConfigurationException("The proxy from " + source + " names no host; write it as http://proxy.example:3128");
        }
        String user = null;
        String password = null;
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        return new ProxyServer(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort(), user, password, source);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        // the password never leaves in a string
        return "http://" + (user != null ? user + (password != null ? ":****" : "") + "@" : "") + host + ":" + port
                + " (from " + source + ")";
    }
}
