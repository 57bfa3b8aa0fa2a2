package dev.camelllm.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small HTTP forward proxy on 127.0.0.1, as squid or tinyproxy would be: CONNECT opens a tunnel (to
 * https targets), a request with an absolute URI is forwarded (to http targets). It records what it
 * forwarded ({@code "CONNECT 127.0.0.1:8443"}, {@code "POST http://127.0.0.1:8080/v1/chat/completions"}) and,
 * when built with a user and password, answers 407 with a Basic challenge to every request without them.
 */
public final class ForwardProxy extends LoopbackServer {

    private final String expectedAuthorization;
    private final List<String> forwarded = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    /** A proxy that wants no credentials. */
    public ForwardProxy() throws IOException {
        this(null, null);
    }

    /** A proxy that wants Basic credentials {@code user:password} in Proxy-Authorization. */
    public ForwardProxy(String user, String password) throws IOException {
        super("forward-proxy");
        this.expectedAuthorization = user == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        start();
    }

    /** What was tunnelled or forwarded, in order. */
    public List<String> forwarded() {
        return new ArrayList<>(forwarded);
    }

    /** Requests answered 407, as "METHOD target". */
    public List<String> refused() {
        return new ArrayList<>(refused);
    }

    public List<Throwable> errors() {
        return errors;
    }

    @Override
    void serve(Socket client, int number) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            while (true) {
                String requestLine = RawHttp.readLine(in);
                if (requestLine == null || requestLine.isEmpty()) {
                    return;
                }
                Map<String, String> headers = RawHttp.readHeaders(in);
                String[] parts = requestLine.split(" ");
                String method = parts[0];
                String target = parts[1];
                int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
                byte[] body = in.readNBytes(length);
                if (expectedAuthorization != null && !expectedAuthorization.equals(headers.get("proxy-authorization"))) {
                    refused.add(method + " " + target);
                    out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                            + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    continue; // the client may try again on this connection, with credentials
                }
                forwarded.add(method + " " + target);
                if (method.equals("CONNECT")) {
                    tunnel(client, target);
                } else {
                    forward(client, method, URI.create(target), headers, body);
                }
                return;
            }
        } catch (IOException e) {
            // a side closed: the exchange is over
        } catch (RuntimeException e) {
            errors.add(e);
        }
    }

    private void tunnel(Socket client, String hostPort) throws IOException {
        int colon = hostPort.lastIndexOf(':');
        try (Socket upstream = new Socket(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)))) {
            track(upstream);
            client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            relay(client, upstream);
        }
    }

    /** Sends the request on in origin form, closing after it so that one relay is one exchange. */
    private void forward(Socket client, String method, URI target, Map<String, String> headers, byte[] body)
            throws IOException {
        try (Socket upstream = new Socket(target.getHost(), target.getPort() < 0 ? 80 : target.getPort())) {
            track(upstream);
            StringBuilder head = new StringBuilder(method).append(' ').append(target.getRawPath())
                    .append(target.getRawQuery() == null ? "" : "?" + target.getRawQuery()).append(" HTTP/1.1\r\n");
            endToEnd(headers, head);
            OutputStream up = upstream.getOutputStream();
            up.write(head.toString().getBytes(StandardCharsets.UTF_8));
            up.write(body);
            up.flush();
            // the answer's head again, saying that this connection closes after it (as it does)
            InputStream down = upstream.getInputStream();
            StringBuilder answer = new StringBuilder(RawHttp.readLine(down)).append("\r\n");
            endToEnd(RawHttp.readHeaders(down), answer);
            OutputStream out = client.getOutputStream();
            out.write(answer.toString().getBytes(StandardCharsets.UTF_8));
            down.transferTo(out);
            out.flush();
        }
    }

    /** The end-to-end headers (no proxy-* or hop-by-hop ones), then "connection: close" and the blank line. */
    private static void endToEnd(Map<String, String> headers, StringBuilder head) {
        headers.forEach((name, value) -> {
            if (!name.startsWith("proxy-") && !name.equals("connection") && !name.equals("keep-alive")) {
                head.append(name).append(": ").append(value).append("\r\n");
            }
        });
        head.append("connection: close\r\n\r\n");
    }

    private void relay(Socket client, Socket upstream) throws IOException {
        execute(() -> {
            try {
                client.getInputStream().transferTo(upstream.getOutputStream());
            } catch (IOException e) {
                // closed
            } finally {
                try {
                    upstream.shutdownOutput();
                } catch (IOException e) {
                    // closed
                }
            }
        });
        upstream.getInputStream().transferTo(client.getOutputStream());
    }
}
