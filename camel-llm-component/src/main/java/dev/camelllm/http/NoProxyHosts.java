package dev.camelllm.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hosts reached without the proxy, written as NO_PROXY (comma-separated) or as the JVM's
 * {@code http.nonProxyHosts} ({@code |}-separated); either separator works. An entry is {@code *} (every
 * host), a host or IP address (that host and, for a name, its subdomains: {@code example.com} covers
 * {@code api.example.com}), {@code .example.com} or {@code *.example.com} (the subdomains and the domain), or a
 * prefix ending in {@code *} ({@code 10.*}). A port after the host is ignored. IP ranges (CIDR) are not
 * understood.
 */
public final class NoProxyHosts {

    public static final NoProxyHosts NONE = new NoProxyHosts(List.of());

    private final List<String> entries;

    private NoProxyHosts(List<String> entries) {
        this.entries = entries;
    }

    public static NoProxyHosts parse(String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        List<String> entries = new ArrayList<>();
        for (String raw : value.split("[,|]")) {
            String e = raw.trim().toLowerCase(Locale.ROOT);
            if (e.startsWith("[")) {
                int end = e.indexOf(']');
                e = end > 0 ? e.substring(1, end) : e; // [::1]:8080
            } else if (e.indexOf(':') == e.lastIndexOf(':') && e.indexOf(':') > 0) {
                e = e.substring(0, e.indexOf(':')); // host:port (one colon: not an IPv6 address)
            }
            if (e.startsWith("*.")) {
                e = e.substring(1);
            }
            if (!e.isEmpty()) {
                entries.add(e);
            }
        }
        return new NoProxyHosts(List.copyOf(entries));
    }

    /** Whether {@code host} is reached directly. */
    public boolean matches(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        for (String e : entries) {
            if (e.equals("*") || h.equals(e)) {
                return true;
            }
            if (e.startsWith(".")) {
                if (h.endsWith(e) || h.equals(e.substring(1))) {
                    return true;
                }
            } else if (e.endsWith("*")) {
                if (h.startsWith(e.substring(0, e.length() - 1))) {
                    return true;
                }
            } else if (h.endsWith("." + e)) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoProxyHosts other && entries.equals(other.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return String.join(",", entries);
    }
}
