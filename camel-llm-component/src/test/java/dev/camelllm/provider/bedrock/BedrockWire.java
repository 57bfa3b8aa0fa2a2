package dev.camelllm.provider.bedrock;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

import dev.camelllm.testsupport.ScriptedHttpServer;

/**
 * Bedrock Runtime's wire format for the loopback fake, after the Bedrock API reference: Converse answers JSON;
 * ConverseStream answers {@code application/vnd.amazon.eventstream}, binary frames (prelude, headers
 * {@code :event-type}, {@code :message-type} event or exception, {@code :content-type}, JSON payload, CRCs)
 * written with the SDK's own event-stream codec; HTTP errors carry {@code x-amzn-ErrorType} and a JSON message.
 */
public final class BedrockWire {

    public static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    public static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    public static final String REGION = "us-east-1";
    public static final String MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";
    public static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

    /** The SigV4 Authorization header, as the SDK writes it for these credentials. */
    public static final Pattern SIGV4 = Pattern.compile("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY
            + "/\\d{8}/" + REGION + "/bedrock/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}");

    private BedrockWire() {
    }

    /** One event frame. */
    public static byte[] event(String type, String json) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString(type));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("event"));
        return bytes(new Message(headers, json.getBytes(StandardCharsets.UTF_8)).toByteBuffer());
    }

    /** One exception frame, e.g. throttlingException, as Bedrock sends it after HTTP 200. */
    public static byte[] exception(String type, String message) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":exception-type", HeaderValue.fromString(type));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("exception"));
        return bytes(new Message(headers, ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8)).toByteBuffer());
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    public static byte[] concat(byte[]... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            out.writeBytes(f);
        }
        return out.toByteArray();
    }

    // ---- fixtures (the API reference's examples, shortened) ----

    public static byte[] messageStart() {
        return event("messageStart", "{\"role\":\"assistant\"}");
    }

    public static byte[] textDelta(int index, String text) {
        return event("contentBlockDelta", "{\"contentBlockIndex\":" + index + ",\"delta\":{\"text\":\"" + text + "\"}}");
    }

    public static byte[] blockStop(int index) {
        return event("contentBlockStop", "{\"contentBlockIndex\":" + index + "}");
    }

    public static byte[] toolStart(int index, String id, String name) {
        return event("contentBlockStart", "{\"contentBlockIndex\":" + index + ",\"start\":{\"toolUse\":{\"toolUseId\":\""
                + id + "\",\"name\":\"" + name + "\"}}}");
    }

    public static byte[] toolDelta(int index, String jsonFragment) {
        return event("contentBlockDelta", "{\"contentBlockIndex\":" + index + ",\"delta\":{\"toolUse\":{\"input\":"
                + quote(jsonFragment) + "}}}");
    }

    public static byte[] reasoningDelta(int index, String text) {
        return event("contentBlockDelta", "{\"contentBlockIndex\":" + index + ",\"delta\":{\"reasoningContent\":{\"text\":"
                + quote(text) + "}}}");
    }

    public static byte[] signatureDelta(int index, String signature) {
        return event("contentBlockDelta", "{\"contentBlockIndex\":" + index + ",\"delta\":{\"reasoningContent\":{\"signature\":"
                + quote(signature) + "}}}");
    }

    public static byte[] messageStop(String reason) {
        return event("messageStop", "{\"stopReason\":\"" + reason + "\"}");
    }

    public static byte[] metadata(int in, int out, int cacheRead, int cacheWrite) {
        return event("metadata", "{\"usage\":{\"inputTokens\":" + in + ",\"outputTokens\":" + out + ",\"totalTokens\":"
                + (in + out) + ",\"cacheReadInputTokens\":" + cacheRead + ",\"cacheWriteInputTokens\":" + cacheWrite
                + "},\"metrics\":{\"latencyMs\":318}}");
    }

    /** The whole streamed answer "Hello world" (two deltas), end_turn, with usage. */
    public static byte[] helloStream() {
        return concat(messageStart(), textDelta(0, "Hello"), textDelta(0, " world"), blockStop(0), messageStop("end_turn"),
                metadata(12, 2, 0, 0));
    }

    public static String converseText(String text, String stopReason, int in, int out) {
        return "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":" + quote(text) + "}]}},"
                + "\"stopReason\":\"" + stopReason + "\",\"usage\":{\"inputTokens\":" + in + ",\"outputTokens\":" + out
                + ",\"totalTokens\":" + (in + out) + ",\"cacheReadInputTokens\":5,\"cacheWriteInputTokens\":3},"
                + "\"metrics\":{\"latencyMs\":412}}";
    }

    public static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    // ---- scripts ----

    public static ScriptedHttpServer.Script json(String body) {
        return x -> x.respond(200, "application/json", body, "x-amzn-RequestId", "b5c4e6f0-1a2b-4c3d-8e9f-000000000001");
    }

    public static ScriptedHttpServer.Script stream(byte[]... frames) {
        return x -> {
            x.startStreamOf(200, EVENT_STREAM, "x-amzn-RequestId", "b5c4e6f0-1a2b-4c3d-8e9f-000000000002");
            for (byte[] f : frames) {
                x.send(f);
            }
            x.endStream();
        };
    }

    /** An HTTP error as Bedrock sends it: the error type in x-amzn-ErrorType, the message in the body. */
    public static ScriptedHttpServer.Script httpError(int status, String type, String message, String... headers) {
        return x -> {
            String[] all = new String[headers.length + 4];
            all[0] = "x-amzn-ErrorType";
            all[1] = type + ":http://internal.amazon.com/coral/com.amazon.bedrock/";
            all[2] = "x-amzn-RequestId";
            all[3] = "b5c4e6f0-1a2b-4c3d-8e9f-00000000000e";
            System.arraycopy(headers, 0, all, 4, headers.length);
            x.respond(status, "application/json", "{\"message\":" + quote(message) + "}", all);
        };
    }
}
