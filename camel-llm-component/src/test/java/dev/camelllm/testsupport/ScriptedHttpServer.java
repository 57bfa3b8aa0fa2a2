package dev.camelllm.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw-socket HTTP/1.1 server on 127.0.0.1 for what WireMock cannot do: hold a stream back until the
 * test says so, cut it mid-answer, stall, accept and never answer. Each connection reads one request and
 * runs the next {@link Script} queued (the last one repeats); after {@link #keepAlive()} a connection
 * serves one request after another, as real servers do, until a script or the client closes it.
 * Everything it started stops on close().
 */
public final class ScriptedHttpServer extends LoopbackServer {

    /** What to do with one request. */
    @FunctionalInterface
    public interface Script {
        void run(Exchange exchange) throws Exception;
    }

    public record Request(String method, String path, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** One request and its response, written by the script. */
    public static final class Exchange {
        private final Socket socket;
        private final OutputStream out;
        private final Request request;
        private final boolean keepAlive;
        private boolean chunked;

        Exchange(Socket socket, Request request, boolean keepAlive) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.request = request;
            this.keepAlive = keepAlive;
        }

        public Request request() {
            return request;
        }

        /** A complete response with a Content-Length. */
        public void respond(int status, String contentType, String body, String... headerPairs) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            StringBuilder sb = statusLine(keepAlive, status, contentType, headerPairs);
            sb.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            out.write(bytes);
            out.flush();
        }

        /** Starts a chunked text/event-stream response. */
        public void startStream(int status, String... headerPairs) throws IOException {
            startStreamOf(status, "text/event-stream", headerPairs);
        }

        /** Starts a chunked response of any content type, e.g. application/vnd.amazon.eventstream. */
        public void startStreamOf(int status, String contentType, String... headerPairs) throws IOException {
            StringBuilder sb = statusLine(keepAlive, status, contentType, headerPairs);
            sb.append("Transfer-Encoding: chunked\r\n\r\n");
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            chunked = true;
        }

        /** Sends text as one HTTP chunk, flushed at once. */
        public void send(String text) throws IOException {
            send(text.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * Sends bytes (a binary frame) as one HTTP chunk, flushed at once. The chunk goes in one write: written
         * in pieces, a client that acts on the data before the closing CRLF (and resets the connection, as a
         * cancel does) would make the script fail on that last piece instead of reaching what it checks next.
         */
        public void send(byte[] bytes) throws IOException {
            if (chunked) {
                byte[] size = (Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                byte[] chunk = new byte[size.length + bytes.length + 2];
                System.arraycopy(size, 0, chunk, 0, size.length);
                System.arraycopy(bytes, 0, chunk, size.length, bytes.length);
                chunk[chunk.length - 2] = '\r';
                chunk[chunk.length - 1] = '\n';
                out.write(chunk);
            } else {
                out.write(bytes);
            }
            out.flush();
        }

        /** Ends the chunked body properly (the last chunk). */
        public void endStream() throws IOException {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** Closes the connection at once, whatever was sent (a cut). */
        public void cut() throws IOException {
            socket.close();
        }

        /** Drops the connection with a TCP reset (SO_LINGER 0) instead of an orderly close. */
        public void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        /**
         * Sends nothing and waits (bounded) until the client closes the connection: true when it did, false
         * when the time ran out first.
         */
        public boolean awaitClientClose(long seconds) throws IOException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            socket.setSoTimeout(200);
            java.io.InputStream in = socket.getInputStream();
            while (System.nanoTime() < end) {
                try {
                    if (in.read() < 0) {
                        return true;
                    }
                } catch (java.net.SocketTimeoutException e) {
                    // still open: keep waiting
                } catch (java.net.SocketException e) {
                    return true; // reset by the client
                }
            }
            return false;
        }

        /** Waits for the latch (bounded), e.g. until the route has seen the first token. */
        public void await(CountDownLatch latch, long seconds) throws InterruptedException {
            if (!latch.await(seconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the latch");
            }
        }

        private static StringBuilder statusLine(boolean keepAlive, int status, String contentType, String... headerPairs) {
            StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
            if (!keepAlive) {
                // one request per connection: the socket closes after the script, so the client must not reuse it
                sb.append("Connection: close\r\n");
            }
            if (contentType != null) {
                sb.append("Content-Type: ").append(contentType).append("\r\n");
            }
            for (int i = 0; i + 1 < headerPairs.length; i += 2) {
                sb.append(headerPairs[i]).append(": ").append(headerPairs[i + 1]).append("\r\n");
            }
            return sb;
        }

        private static String reason(int status) {
            return switch (status) {
                case 200 -> "OK";
                case 400 -> "Bad Request";
                case 401 -> "Unauthorized";
                case 403 -> "Forbidden";
                case 408 -> "Request Timeout";
                case 429 -> "Too Many Requests";
                case 500 -> "Internal Server Error";
                case 503 -> "Service Unavailable";
                default -> "Status";
            };
        }
    }

    private final BlockingQueue<Script> scripts = new LinkedBlockingQueue<>();
    private volatile Script last;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    /** The connection (1, 2, …) each request came on, in the order of {@link #requests()}. */
    private final List<Integer> requestConnections = new CopyOnWriteArrayList<>();
    private volatile boolean keepAlive;
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    public ScriptedHttpServer() throws IOException {
        super("scripted-http");
        start();
    }

    /** Queues scripts for the next requests, in order; the last one answers every later request too. */
    public ScriptedHttpServer then(Script... next) {
        for (Script s : next) {
            scripts.add(s);
        }
        return this;
    }

    /**
     * Serves several requests per connection, without {@code Connection: close}: the client may pool the
     * connection, and a script that cuts it is a server closing a connection the client may believe alive.
     */
    public ScriptedHttpServer keepAlive() {
        keepAlive = true;
        return this;
    }

    /** For each request received, the connection it came on (1 for the first accepted, …). */
    public List<Integer> requestConnections() {
        return new ArrayList<>(requestConnections);
    }

    /** Forgets queued scripts and recorded requests, e.g. between tests sharing one server. */
    public void reset() {
        scripts.clear();
        last = null;
        requests.clear();
        requestConnections.clear();
        errors.clear();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public List<Request> requests() {
        return new ArrayList<>(requests);
    }

    /** Errors thrown by scripts (a broken test fake shows up here, not as a silent hang). */
    public List<Throwable> errors() {
        return errors;
    }

    @Override
    void serve(Socket socket, int connection) {
        try (socket) {
            do {
                Request request = readRequest(socket.getInputStream());
                if (request == null) {
                    return;
                }
                synchronized (requests) {
                    requests.add(request);
                    requestConnections.add(connection);
                }
                Script script = scripts.poll();
                if (script == null) {
                    script = last;
                } else {
                    last = script;
                }
                if (script == null) {
                    throw new IllegalStateException("no script for " + request.method() + " " + request.path());
                }
                script.run(new Exchange(socket, request, keepAlive));
            } while (keepAlive && !socket.isClosed());
        } catch (Exception e) {
            if (!isClosed() && !(e instanceof java.net.SocketException)) {
                errors.add(e);
            }
        }
    }

    private static Request readRequest(InputStream in) throws IOException {
        String requestLine = RawHttp.readLine(in);
        if (requestLine == null || requestLine.isEmpty()) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        Map<String, String> headers = RawHttp.readHeaders(in);
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Request(parts[0], parts[1], headers, new String(body, StandardCharsets.UTF_8));
    }
}
