package dev.camelllm.http;

import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The one place where an outbound HttpClient is built: the pool, the TLS context, the proxy of each
 * request and the proxy's credentials all come from a {@link NetworkSettings}, so that provider calls,
 * health probes and model downloads reach the outside the same way. The JVM's proxy properties are not
 * read by HttpClient itself here: {@link ProxyRules} has already taken them into account.
 */
final class NetworkClients {

    private NetworkClients() {
    }

    static PoolingHttpClientConnectionManager pool(HttpSettings settings, NetworkSettings network) {
        PoolingHttpClientConnectionManagerBuilder pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(settings.maxConnections())
                .setMaxConnPerRoute(settings.maxConnectionsPerRoute())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                        // a pooled connection the server closed while idle is checked before reuse
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .build());
        if (network.sslContext() != null) {
            // the endpoint's trust (and key) material; host names are still verified against the certificate
            pool.setTlsSocketStrategy(new DefaultClientTlsStrategy(network.sslContext()));
        }
        return pool.build();
    }

    /** Retries and redirects are off: the component decides about retries, and a download follows redirects itself. */
    static CloseableHttpClient client(PoolingHttpClientConnectionManager pool, NetworkSettings network) {
        ProxyRules rules = network.proxy();
        BasicCredentialsProvider credentials = new BasicCredentialsProvider();
        for (ProxyRules.Route route : new ProxyRules.Route[] {rules.https(), rules.http()}) {
            if (route != null && route.proxy().hasCredentials()) {
                ProxyServer p = route.proxy();
                String password = p.password() == null ? "" : p.password();
                credentials.setCredentials(new AuthScope(p.host(), p.port()),
                        new UsernamePasswordCredentials(p.user(), password.toCharArray()));
            }
        }
        return HttpClients.custom()
                .setConnectionManager(pool)
                .setRoutePlanner(new DefaultRoutePlanner(null) {
                    @Override
                    protected HttpHost determineProxy(HttpHost target, HttpContext context) {
                        ProxyServer proxy = rules.select(target.getSchemeName(), target.getHostName());
                        return proxy == null ? null : new HttpHost("http", proxy.host(), proxy.port());
                    }
                })
                .setDefaultCredentialsProvider(credentials)
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .addExecInterceptorFirst(StreamConnectionReuse.NAME, new StreamConnectionReuse())
                .build();
    }
}
