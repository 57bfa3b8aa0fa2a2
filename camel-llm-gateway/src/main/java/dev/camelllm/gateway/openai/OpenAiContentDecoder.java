package dev.camelllm.gateway.openai;

import static dev.camelllm.gateway.format.JsonFields.element;
import static dev.camelllm.gateway.format.JsonFields.expected;
import static dev.camelllm.gateway.format.JsonFields.field;
import static dev.camelllm.gateway.format.JsonFields.requiredNonBlankString;
import static dev.camelllm.gateway.format.JsonFields.requiredObject;
import static dev.camelllm.gateway.format.JsonFields.requiredString;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.ContentPart;

/**
 * Reads a message's {@code content}: a string, or an array of parts ({@code {"type":"text","text":…}},
 * and in user messages {@code {"type":"image_url","image_url":{"url":…}}}). The caller has checked that
 * the content is present.
 */
final class OpenAiContentDecoder {

    private static final String DATA_URL_PREFIX = "data:";
    private static final String BASE64_MARKER = ";base64,";

    private OpenAiContentDecoder() {
    }

    /** Content that may only be text (system, developer, assistant, tool), joined into one string. */
    static String text(JsonNode content, String path, String role) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        JsonNode parts = partsArray(content, path);
        for (int i = 0; i < parts.size(); i++) {
            String partPath = element(path, i);
            JsonNode part = requiredObject(parts.get(i), partPath);
            String type = requiredString(part.get("type"), field(partPath, "type"));
            if (!"text".equals(type)) {
                throw expected(field(partPath, "type"), "\"text\": a " + role + " message takes only text parts");
            }
            sb.append(requiredString(part.get("text"), field(partPath, "text")));
        }
        return sb.toString();
    }

    /** A user message's content: text and images, in their order. */
    static List<ContentPart> userParts(JsonNode content, String path) {
        if (content.isTextual()) {
            return List.of(new ContentPart.Text(content.asText()));
        }
        List<ContentPart> out = new ArrayList<>();
        JsonNode parts = partsArray(content, path);
        for (int i = 0; i < parts.size(); i++) {
            String partPath = element(path, i);
            JsonNode part = requiredObject(parts.get(i), partPath);
            String type = requiredString(part.get("type"), field(partPath, "type"));
            switch (type) {
                case "text" -> out.add(new ContentPart.Text(requiredString(part.get("text"), field(partPath, "text"))));
                case "image_url" -> out.add(image(part.get("image_url"), field(partPath, "image_url")));
                default -> throw expected(field(partPath, "type"),
                        "\"text\" or \"image_url\" (the gateway does not accept other content parts)");
            }
        }
        return out;
    }

    private static JsonNode partsArray(JsonNode content, String path) {
        if (!content.isArray() || content.isEmpty()) {
            throw expected(path, "a string or a non-empty array of content parts");
        }
        return content;
    }

    private static ContentPart.Image image(JsonNode imageUrl, String path) {
        String urlPath = field(path, "url");
        return image(requiredNonBlankString(requiredObject(imageUrl, path).get("url"), urlPath), urlPath);
    }

    /** An http(s) URL or a {@code data:} URL (at {@code urlPath} of the request) as an image part. */
    static ContentPart.Image image(String url, String urlPath) {
        if (!url.regionMatches(true, 0, DATA_URL_PREFIX, 0, DATA_URL_PREFIX.length())) {
            return ContentPart.Image.ofUrl(url);
        }
        // data:<media type>;base64,<data> — the only inline form the providers can pass on
        int marker = url.indexOf(BASE64_MARKER);
        String mediaType = marker < 0 ? "" : url.substring(DATA_URL_PREFIX.length(), marker);
        String data = marker < 0 ? "" : url.substring(marker + BASE64_MARKER.length());
        if (mediaType.isBlank() || mediaType.contains(",") || data.isEmpty()) {
            throw expected(urlPath, "an http(s) URL or a data URL of the form data:<media type>;base64,<data>");
        }
        return ContentPart.Image.ofBase64(mediaType, data);
    }
}
