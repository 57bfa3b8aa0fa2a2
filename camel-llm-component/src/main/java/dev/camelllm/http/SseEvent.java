package dev.camelllm.http;

/** One server-sent event: its name ({@code message} when the server sent none), data and id. */
public record SseEvent(String event, String data, String id) {
}
