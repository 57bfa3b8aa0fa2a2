package dev.camelllm.component;

import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * How the endpoint reaches its upstream over the network: the forward proxy and the TLS trust of every
 * outbound connection (provider calls, health probes, model downloads). Set on the component they are the
 * default of every endpoint; a profile or the URI overrides them. Without them the JVM's proxy
 * properties, then HTTPS_PROXY / HTTP_PROXY / NO_PROXY apply. Part of {@link LlmConfiguration}; see there why
 * the options are split this way.
 */
@UriParams
public abstract class LlmNetworkOptions extends LlmOnnxOptions {

    @UriParam(label = "proxy",
              description = "The host of an HTTP forward proxy for every outbound connection of the endpoint (https targets go through it with CONNECT). Unset: the JVM's https.proxyHost/http.proxyHost, else the HTTPS_PROXY/HTTP_PROXY environment variables, else none.")
    private String proxyHost;
    @UriParam(label = "proxy",
              description = "The port of the proxy; required with proxyHost.")
    private Integer proxyPort;
    @UriParam(label = "proxy", secret = true,
              description = "The user name for the proxy (Basic authentication), with proxyHost.")
    private String proxyUser;
    @UriParam(label = "proxy", secret = true,
              description = "The password for the proxy (Basic authentication), with proxyUser. Never logged.")
    private String proxyPassword;
    @UriParam(label = "proxy",
              description = "Hosts reached without any proxy, in the NO_PROXY syntax: comma-separated host names or IPs (a name covers its subdomains), .example.com for a whole domain, prefixes ending in a wildcard (see docs/providers.md). Added to NO_PROXY or http.nonProxyHosts when those apply.")
    private String nonProxyHosts;
    @UriParam(label = "security",
              description = "The TLS settings (trust store, key store, protocols) of every outbound connection of the endpoint, e.g. to trust an internal CA. Unset: the component's global SSL context parameters when useGlobalSslContextParameters is on, else the JVM's default trust store.")
    private SSLContextParameters sslContextParameters;

    public String getProxyHost() {
        return proxyHost;
    }

    /** The host of an HTTP forward proxy for every outbound connection of the endpoint. */
    public void setProxyHost(String proxyHost) {
        this.proxyHost = proxyHost;
    }

    public Integer getProxyPort() {
        return proxyPort;
    }

    /** The port of the proxy; required with proxyHost. */
    public void setProxyPort(Integer proxyPort) {
        this.proxyPort = proxyPort;
    }

    public String getProxyUser() {
        return proxyUser;
    }

    /** The user name for the proxy (Basic authentication), with proxyHost. */
    public void setProxyUser(String proxyUser) {
        this.proxyUser = proxyUser;
    }

    public String getProxyPassword() {
        return proxyPassword;
    }

    /** The password for the proxy (Basic authentication), with proxyUser. Never logged. */
    public void setProxyPassword(String proxyPassword) {
        this.proxyPassword = proxyPassword;
    }

    public String getNonProxyHosts() {
        return nonProxyHosts;
    }

    /** Hosts reached without any proxy, comma- or |-separated. */
    public void setNonProxyHosts(String nonProxyHosts) {
        this.nonProxyHosts = nonProxyHosts;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    /** The TLS settings of every outbound connection of the endpoint. */
    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }
}
