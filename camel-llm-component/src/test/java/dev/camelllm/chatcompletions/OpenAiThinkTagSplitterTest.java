package dev.camelllm.chatcompletions;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** Inline think tags are split the same however the content is cut into deltas. */
@Timeout(10)
class OpenAiThinkTagSplitterTest {

    /** Records what the splitter emitted, merging neighbours of the same kind. */
    static final class Recorder implements ThinkTagSplitter.Sink {
        final StringBuilder text = new StringBuilder();
        final StringBuilder thinking = new StringBuilder();
        final List<String> events = new ArrayList<>();

        @Override
        public void text(String t) {
            assertThat(t).isNotEmpty();
            text.append(t);
            events.add("text:" + t);
        }

        @Override
        public void thinking(String t) {
            assertThat(t).isNotEmpty();
            thinking.append(t);
            events.add("thinking:" + t);
        }
    }

    private static final String GROQ = "<think>\nThe user greets me.\n</think>\n\nHi there!";

    @Test
    void splitsAWholeContent() {
        Recorder r = new Recorder();
        ThinkTagSplitter.split(GROQ, false, r);

        assertThat(r.thinking.toString()).isEqualTo("\nThe user greets me.\n");
        assertThat(r.text.toString()).isEqualTo("Hi there!");
    }

    @Test
    void everyCutIntoTwoDeltasGivesTheSameResult() {
        for (int cut = 0; cut <= GROQ.length(); cut++) {
            Recorder r = new Recorder();
            ThinkTagSplitter s = new ThinkTagSplitter(false);
            s.accept(GROQ.substring(0, cut), r);
            s.accept(GROQ.substring(cut), r);
            s.finish(r);
            assertThat(r.thinking.toString()).as("cut at %d", cut).isEqualTo("\nThe user greets me.\n");
            assertThat(r.text.toString()).as("cut at %d", cut).isEqualTo("Hi there!");
        }
    }

    @Test
    void oneCharacterPerDeltaGivesTheSameResult() {
        for (boolean anywhere : new boolean[] {false, true}) {
            Recorder r = new Recorder();
            ThinkTagSplitter s = new ThinkTagSplitter(anywhere);
            for (char c : GROQ.toCharArray()) {
                s.accept(String.valueOf(c), r);
            }
            s.finish(r);
            assertThat(r.thinking.toString()).isEqualTo("\nThe user greets me.\n");
            assertThat(r.text.toString()).isEqualTo("Hi there!");
        }
    }

    @Test
    void textIsPassedOnAtOnceAndOnlyAPossibleTagIsHeldBack() {
        Recorder r = new Recorder();
        ThinkTagSplitter s = new ThinkTagSplitter(true);

        s.accept("Hello wor", r);
        assertThat(r.text.toString()).isEqualTo("Hello wor");
        s.accept("ld <thi", r);
        assertThat(r.text.toString()).isEqualTo("Hello world ");
        s.accept("nk>hmm</think>!", r);
        s.finish(r);

        assertThat(r.events).containsExactly("text:Hello wor", "text:ld ", "thinking:hmm", "text:!");
    }

    @Test
    void leadingOnlyModeLeavesAnAnswerThatMentionsTheTagAlone() {
        String content = "Use the <think> tag like <think>this</think>.";
        Recorder leading = new Recorder();
        ThinkTagSplitter.split(content, false, leading);
        Recorder anywhere = new Recorder();
        ThinkTagSplitter.split(content, true, anywhere);

        assertThat(leading.text.toString()).isEqualTo(content);
        assertThat(leading.thinking.toString()).isEmpty();
        assertThat(anywhere.thinking.toString()).isEqualTo(" tag like <think>this");
    }

    @Test
    void anUnclosedThinkBlockStaysThinkingAndAPartialTagIsFlushedAsText() {
        Recorder unclosed = new Recorder();
        ThinkTagSplitter.split("<think>cut off mid-thou", false, unclosed);
        assertThat(unclosed.thinking.toString()).isEqualTo("cut off mid-thou");
        assertThat(unclosed.text.toString()).isEmpty();

        Recorder partial = new Recorder();
        ThinkTagSplitter s = new ThinkTagSplitter(false);
        s.accept("  <thi", partial);
        assertThat(partial.text.toString()).isEmpty();
        s.finish(partial);
        assertThat(partial.text.toString()).isEqualTo("  <thi");
    }
}
