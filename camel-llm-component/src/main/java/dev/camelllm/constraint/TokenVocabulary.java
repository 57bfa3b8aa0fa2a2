package dev.camelllm.constraint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.spi.Json;

/**
 * The bytes each token id writes, read from a Hugging Face {@code tokenizer.json} with a byte-level decoder
 * (GPT-2 style BPE: Qwen, Llama 3, SmolLM, …). A byte-level token is a string over GPT-2's byte-to-character
 * map, so its bytes are exact, partial UTF-8 included. Added tokens write their content, except special ones
 * (end-of-turn markers and the like), which write nothing here and are never allowed by a constraint.
 */
public final class TokenVocabulary {

    private final byte[][] bytes;
    private final BitSet special;

    TokenVocabulary(byte[][] bytes, BitSet special) {
        this.bytes = bytes;
        this.special = special;
    }

    /**
     * A vocabulary given as bytes per id (null: writes nothing) and the ids of special tokens; for tokenizers
     * read some other way, and for synthetic vocabularies in benchmarks.
     */
    public static TokenVocabulary of(byte[][] bytes, BitSet special) {
        return new TokenVocabulary(bytes.clone(), (BitSet) special.clone());
    }

    /**
     * @param size the model's vocabulary (its logits' width), which may exceed the tokenizer's; ids without a
     *             token write nothing
     * @throws IllegalArgumentException when the file cannot be read or its decoder is not byte-level
     */
    public static TokenVocabulary read(Path tokenizerJson, int size) {
        Parts parts;
        try {
            parts = Parts.read(tokenizerJson);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + tokenizerJson + ": " + e.getMessage(), e);
        }
        if (!byteLevel(parts.decoder)) {
            throw new IllegalArgumentException("constrained decoding needs a byte-level BPE tokenizer (GPT-2 style, as "
                    + "Qwen and Llama 3 have); the decoder of " + tokenizerJson + " is "
                    + parts.decoder.path("type").asText("missing"));
        }
        if (parts.vocab.isEmpty()) {
            throw new IllegalArgumentException(tokenizerJson + " has no model.vocab map");
        }
        int[] unbyte = ByteLevel.charToByte();
        byte[][] bytes = new byte[size][];
        BitSet special = new BitSet(size);
        for (Map.Entry<String, Integer> e : parts.vocab.entrySet()) {
            int id = e.getValue();
            if (id >= 0 && id < size) {
                bytes[id] = ByteLevel.decode(e.getKey(), unbyte);
            }
        }
        for (JsonNode added : parts.addedTokens) {
            int id = added.path("id").asInt(-1);
            if (id < 0 || id >= size) {
                continue;
            }
            if (added.path("special").asBoolean(false)) {
                special.set(id);
                bytes[id] = null;
            } else {
                bytes[id] = added.path("content").asText("").getBytes(StandardCharsets.UTF_8);
            }
        }
        return new TokenVocabulary(bytes, special);
    }

    /**
     * What a tokenizer.json says that matters here (model.vocab, decoder, added_tokens), read as a stream:
     * the merges, most of a BPE file, are skipped instead of being built into a tree.
     */
    private static final class Parts {
        final Map<String, Integer> vocab = new java.util.HashMap<>();
        JsonNode decoder = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        JsonNode addedTokens = com.fasterxml.jackson.databind.node.MissingNode.getInstance();

        static Parts read(Path file) throws IOException {
            Parts parts = new Parts();
            try (JsonParser p = Json.MAPPER.createParser(file.toFile())) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw new IOException("not a JSON object");
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    switch (field) {
                        case "decoder" -> parts.decoder = p.readValueAsTree();
                        case "added_tokens" -> parts.addedTokens = p.readValueAsTree();
                        case "model" -> parts.readModel(p);
                        default -> p.skipChildren();
                    }
                }
            }
            if (parts.decoder == null) {
                parts.decoder = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
            }
            return parts;
        }

        private void readModel(JsonParser p) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                p.skipChildren();
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (field.equals("vocab") && t == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String token = p.currentName();
                        p.nextToken();
                        vocab.put(token, p.getValueAsInt(-1));
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
    }

    private static boolean byteLevel(JsonNode decoder) {
        if ("ByteLevel".equals(decoder.path("type").asText())) {
            return true;
        }
        for (JsonNode d : decoder.path("decoders")) {
            if (byteLevel(d)) {
                return true;
            }
        }
        return false;
    }

    /** The model's vocabulary size. */
    public int size() {
        return bytes.length;
    }

    /** The bytes token {@code id} writes, or null (a special token, or an id without a token). */
    byte[] bytes(int id) {
        return id >= 0 && id < bytes.length ? bytes[id] : null;
    }

    /** A copy of the bytes token {@code id} writes, or null. */
    public byte[] tokenBytes(int id) {
        byte[] b = bytes(id);
        return b == null ? null : b.clone();
    }

    boolean special(int id) {
        return special.get(id);
    }

    /** GPT-2's reversible map of the 256 bytes onto printable characters. */
    static final class ByteLevel {

        private ByteLevel() {
        }

        static int[] charToByte() {
            int[] map = new int[512];
            java.util.Arrays.fill(map, -1);
            int extra = 0;
            for (int b = 0; b < 256; b++) {
                boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
                map[printable ? b : 256 + extra++] = b;
            }
            return map;
        }

        /** The bytes of a byte-level token; a character outside the map is written as its UTF-8. */
        static byte[] decode(String token, int[] charToByte) {
            byte[] out = new byte[token.length()];
            for (int i = 0; i < token.length(); i++) {
                char c = token.charAt(i);
                int b = c < charToByte.length ? charToByte[c] : -1;
                if (b < 0) {
                    return token.getBytes(StandardCharsets.UTF_8);
                }
                out[i] = (byte) b;
            }
            return out;
        }
    }
}
