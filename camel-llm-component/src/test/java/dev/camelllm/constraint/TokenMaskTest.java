package dev.camelllm.constraint;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.camelllm.api.ResponseFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mask that walks the trie (and takes plain string tokens from their table) equals, token for token, what
 * stepping each token's bytes through the automaton allows, at every byte of several documents: a test of the
 * shortcuts against the definition.
 */
class TokenMaskTest {

    static final String SCHEMA = """
            {"type":"object","properties":{
              "category":{"type":"string","enum":["billing","bug","other"]},
              "summary":{"type":"string","maxLength":6},
              "tags":{"type":"array","maxItems":2,"items":{"type":"string"}},
              "score":{"anyOf":[{"type":"number"},{"type":"null"}]},
              "ok":{"type":"boolean"}},
             "required":["category","summary"],"additionalProperties":false}""";

    static final List<String> DOCUMENTS = List.of(
            "{\"category\":\"bug\",\"summary\":\"é☕ \\\"x\",\"tags\":[\"a\\u00e9\",\"日本\"],\"score\":-1.5e3,\"ok\":true}",
            "{ \"summary\" : \"ab\" ,\n  \"category\": \"other\", \"score\": null }");

    /** All 256 bytes, and tokens that cross every boundary the automaton has. */
    static TokenVocabulary synthetic() {
        List<byte[]> tokens = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            tokens.add(new byte[] {(byte) b});
        }
        for (String s : List.of("\"", "\",", "\":", "\"}", "{\"", "\\n", "\\", "\\u00", "\\u", "e9", "é", "☕", "日本",
                " \"", "}\n", "  ", "\n  ", "true", "tr", "null", "12", "1.5", "e+", "ab", "abc\"", "bug", "billing",
                "\"bug\"", "\": \"", "\"category\"", "category", "summary", "\",\"", "[\"", "\"]", "\"],", "-1", ".5e3",
                "ok\":", " true}", "é☕ ", "}", "{}", "xyz", "bil", "ling\"", "  \"sum")) {
            tokens.add(s.getBytes(StandardCharsets.UTF_8));
        }
        byte[] coffee = "☕".getBytes(StandardCharsets.UTF_8);
        tokens.add(new byte[] {coffee[0]});
        tokens.add(new byte[] {coffee[0], coffee[1]});
        tokens.add(new byte[] {coffee[1], coffee[2]});
        tokens.add(new byte[] {coffee[2], '"'});
        tokens.add(new byte[] {(byte) 0xC0, (byte) 0x80});
        int size = tokens.size() + 3;
        byte[][] bytes = new byte[size][];
        for (int i = 0; i < tokens.size(); i++) {
            bytes[i] = tokens.get(i);
        }
        BitSet special = new BitSet();
        special.set(size - 2);
        // size - 1: the model's padding: an id without a token; size - 3: end of sequence
        bytes[size - 3] = null;
        return new TokenVocabulary(bytes, special);
    }

    @Test
    void theMaskIsExactlyTheTokensTheAutomatonAcceptsOnASyntheticVocabulary() {
        TokenVocabulary vocab = synthetic();
        TokenIndex index = new TokenIndex(vocab, Set.of((long) vocab.size() - 3));
        int checked = check(index, JsonGrammarTest.grammar(SCHEMA), DOCUMENTS);
        checked += check(index, JsonGrammars.of(ResponseFormat.JSON_OBJECT), DOCUMENTS);
        assertThat(checked).isGreaterThan(200);
    }

    @Test
    void theMaskIsExactlyTheTokensTheAutomatonAcceptsOnTheTinyModelsTokenizer() {
        Path file = Path.of(System.getProperty("camel.llm.repoRoot", ".."), "models", "tiny-chat", "tokenizer.json");
        TokenVocabulary vocab = TokenVocabulary.read(file, 480);
        TokenIndex index = new TokenIndex(vocab, Set.of(458L, 456L));
        assertThat(vocab.special(458)).isTrue();
        assertThat(vocab.bytes(458)).isNull();
        check(index, JsonGrammarTest.grammar(SCHEMA), DOCUMENTS);
    }

    /** At every byte of each document: the mask against a token-by-token check. Returns the states checked. */
    private static int check(TokenIndex index, JsonGrammar grammar, List<String> documents) {
        TokenVocabulary vocab = index.vocabulary();
        long[] mask = new long[(vocab.size() + 63) >>> 6];
        int states = 0;
        for (String doc : documents) {
            byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
            State s = grammar.start();
            for (int i = 0; i <= bytes.length; i++) {
                index.mask(s, mask);
                for (int t = 0; t < vocab.size(); t++) {
                    byte[] tb = vocab.bytes(t);
                    boolean expected = index.isEos(t) ? s.accepting()
                            : tb != null && tb.length > 0 && !vocab.special(t) && s.step(tb) != null;
                    boolean actual = (mask[t >>> 6] & 1L << t) != 0;
                    assertThat(actual).as("token %d (%s) after %s", t, tb == null ? "-" : new String(tb, StandardCharsets.UTF_8),
                            doc.substring(0, Math.min(doc.length(), new String(bytes, 0, i, StandardCharsets.UTF_8).length())))
                            .isEqualTo(expected);
                }
                states++;
                if (i < bytes.length) {
                    s = s.step(bytes[i] & 0xff);
                    assertThat(s).as("%s accepts its own document up to byte %d", grammar, i).isNotNull();
                }
            }
            assertThat(s.complete()).isTrue();
        }
        return states;
    }
}
