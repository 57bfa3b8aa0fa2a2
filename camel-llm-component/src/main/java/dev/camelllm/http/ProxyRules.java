package dev.camelllm.http;

import java.util.function.Function;

/**
 * Which proxy, if any, an outbound request takes, per target scheme. Resolved once per endpoint from, in
 * this order: the explicit proxy options; the JVM's {@code https.proxyHost}/{@code http.proxyHost}
 * properties (with {@code http.nonProxyHosts}, and {@code https.proxyUser}/{@code https.proxyPassword} where
 * set); the {@code HTTPS_PROXY}/{@code HTTP_PROXY} environment variables (lower case first, as curl reads
 * them; with {@code NO_PROXY}). Hosts the endpoint's own {@code nonProxyHosts} lists go direct whatever the
 * source.
 *
 * @param https the proxy of {@code https://} targets (through CONNECT), or null for none
 * @param http  the proxy of {@code http://} targets, or null for none
 */
public record ProxyRules(Route https, Route http) {

    /** No proxy at all. */
    public static final ProxyRules DIRECT = new ProxyRules(null, null);

    /** A proxy and the hosts that bypass it. */
    public record Route(ProxyServer proxy, NoProxyHosts bypass) {
    }

    /**
     * @param explicit        the endpoint's proxy options (null when it sets none)
     * @param nonProxyHosts   the endpoint's nonProxyHosts option (null when unset)
     * @param systemProperty  a JVM system property by name ({@code System::getProperty}; a map in tests)
     * @param environment     an environment variable by name ({@code System::getenv}; a map in tests)
     */
    public static ProxyRules resolve(ProxyServer explicit, String nonProxyHosts, Function<String, String> systemProperty,
                                     Function<String, String> environment) {
        NoProxyHosts own = NoProxyHosts.parse(nonProxyHosts);
        if (explicit != null) {
            return new ProxyRules(new Route(explicit, own), new Route(explicit, own));
        }
        return new ProxyRules(route("https", 443, own, systemProperty, environment),
                route("http", 80, own, systemProperty, environment));
    }

    private static Route route(String scheme, int defaultPort, NoProxyHosts own, Function<String, String> systemProperty,
                               Function<String, String> environment) {
        String jvmHost = value(systemProperty, scheme + ".proxyHost");
        if (jvmHost != null) {
            String port = value(systemProperty, scheme + ".proxyPort");
            String source = "the JVM property " + scheme + ".proxyHost";
            ProxyServer proxy = new ProxyServer(jvmHost, port == null ? defaultPort : port(port, scheme + ".proxyPort"),
                    value(systemProperty, scheme + ".proxyUser"), value(systemProperty, scheme + ".proxyPassword"), source);
            // the JVM's own rule: http.nonProxyHosts is also the list of https
            return new Route(proxy, merge(NoProxyHosts.parse(value(systemProperty, "http.nonProxyHosts")), own));
        }
        String name = scheme + "_proxy";
        String url = value(environment, name);
        if (url == null) {
            name = name.toUpperCase(java.util.Locale.ROOT);
            url = value(environment, name);
        }
        if (url == null) {
            return null;
        }
        String noProxy = value(environment, "no_proxy");
        if (noProxy == null) {
            noProxy = value(environment, "NO_PROXY");
        }
        return new Route(ProxyServer.parse(url, "the " + name + " environment variable"), merge(NoProxyHosts.parse(noProxy), own));
    }

    /** The proxy a request to this target takes, or null to connect directly. */
    public ProxyServer select(String scheme, String host) {
        Route route = "https".equalsIgnoreCase(scheme) ? https : "http".equalsIgnoreCase(scheme) ? http : null;
        if (route == null || route.bypass().matches(host)) {
            return null;
        }
        return route.proxy();
    }

    private static NoProxyHosts merge(NoProxyHosts a, NoProxyHosts b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isEmpty() ? a : NoProxyHosts.parse(a + "," + b);
    }

    private static int port(String value, String name) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new dev.camelllm.api.LlmConfigurationException("The JVM property " + name + " is '" + value
                    + "', not a port number");
        }
    }

    private static String value(Function<String, String> source, String name) {
        String v = source == null ? null : source.apply(name);
        return v == null || v.isBlank() ? null : v.trim();
    }
}
