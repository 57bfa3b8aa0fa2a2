package dev.camelllm.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw-socket server on 127.0.0.1 that serves each accepted connection on a thread of its own; close()
 * closes the server, every socket it tracked and its threads. A subclass calls {@link #start()} at the end
 * of its constructor, so that no connection is served before it is ready.
 */
abstract class LoopbackServer implements AutoCloseable {

    private final ServerSocket server;
    private final ExecutorService pool;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();

    LoopbackServer(String threadName) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Serves one accepted connection; {@code number} counts them from 1. */
    abstract void serve(Socket socket, int number);

    final void start() {
        pool.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    track(socket);
                    int number = accepted.incrementAndGet();
                    pool.execute(() -> serve(socket, number));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    /** Runs a task on the server's threads (ended on close). */
    final void execute(Runnable task) {
        pool.execute(task);
    }

    /** Closes this socket too when the server closes. */
    final Socket track(Socket socket) {
        sockets.add(socket);
        return socket;
    }

    final boolean isClosed() {
        return server.isClosed();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    public int connections() {
        return accepted.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        pool.shutdownNow();
    }
}
