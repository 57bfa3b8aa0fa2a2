package dev.camelllm.examples.streaming;

import org.apache.camel.main.Main;

/** Camel Main with {@link StreamingRoutes} (found by package scan); options come from application.properties. */
public final class StreamingApp {

    private StreamingApp() {
    }

    public static void main(String[] args) throws Exception {
        // Camel Main finds the RouteBuilder classes of this package by itself
        new Main(StreamingApp.class).run(args);
    }
}
