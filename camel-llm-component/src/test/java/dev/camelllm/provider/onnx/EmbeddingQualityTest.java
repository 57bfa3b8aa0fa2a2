package dev.camelllm.provider.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.EmbeddingRequest;
import dev.camelllm.api.EmbeddingResponse;
import dev.camelllm.spi.CallContext;
import dev.camelllm.spi.ProviderSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped model (quantized all-MiniLM-L6-v2 from the jar) is a real sentence encoder: on triples
 * written here (anchor, paraphrase, unrelated sentence), the paraphrase is closer to the anchor than the
 * unrelated sentence in at least 95 % of them. A toy or broken model (wrong pooling, no attention mask,
 * padding counted) does not pass.
 */
@Timeout(120)
class EmbeddingQualityTest {

    /** anchor, paraphrase, unrelated */
    static final String[][] TRIPLES = {
        {"The cat is sleeping on the sofa.", "A cat naps on the couch.", "The stock market fell sharply today."},
        {"How do I reset my password?", "I forgot my password and need to change it.", "What time does the train to Lyon leave?"},
        {"The invoice was paid last week.", "We settled the bill a few days ago.", "Tomatoes grow best in full sun."},
        {"It is raining heavily in London.", "There is a downpour in London right now.", "My laptop battery drains quickly."},
        {"She plays the violin beautifully.", "Her violin playing is wonderful.", "The server returned a 500 error."},
        {"The flight to Tokyo was delayed by three hours.", "Our plane to Tokyo left three hours late.", "He baked a chocolate cake for the party."},
        {"Please cancel my subscription.", "I want to stop my membership.", "The river flooded the village."},
        {"The doctor prescribed antibiotics.", "The physician gave me a course of antibiotics.", "Football is popular in Brazil."},
        {"The database query is too slow.", "This SQL query takes far too long to run.", "The bride wore a white dress."},
        {"He is learning to speak Spanish.", "He is studying the Spanish language.", "The bakery opens at seven."},
        {"The package arrived damaged.", "My parcel was broken when it was delivered.", "The moon orbits the Earth."},
        {"Where is the nearest pharmacy?", "Is there a drugstore close by?", "The concert was sold out."},
        {"The children are playing in the park.", "Kids are having fun at the playground.", "Interest rates rose again."},
        {"I would like to book a table for two.", "Can I reserve a table for two people?", "The glacier is melting fast."},
        {"The meeting has been moved to Friday.", "We rescheduled the meeting for Friday.", "Penguins cannot fly."},
        {"This phone has an excellent camera.", "The camera on this smartphone is great.", "The soup needs more salt."},
        {"The company reported record profits.", "The firm announced its highest earnings ever.", "She painted the fence green."},
        {"My car won't start in the morning.", "The engine of my car fails to start at dawn.", "The library has a new poetry section."},
        {"The museum is closed on Mondays.", "On Mondays the museum does not open.", "He scored two goals in the final."},
        {"The baby cried all night.", "The infant was crying the whole night.", "The printer is out of toner."},
        {"Add two cups of flour to the bowl.", "Put two cups of flour into the mixing bowl.", "The election results were announced."},
        {"The hotel room was very clean.", "Our room at the hotel was spotless.", "Volcanoes can erupt without warning."},
        {"He lost his wallet on the bus.", "His wallet went missing on the bus.", "The orchestra tuned their instruments."},
        {"The software update fixed the bug.", "The new release resolved the defect.", "The farmer harvested the wheat."},
        {"The shop offers free delivery.", "Shipping is free at this store.", "The professor retired last year."},
        {"Dogs need regular exercise.", "A dog has to be walked often.", "The treaty was signed in 1648."},
        {"The water in the lake is freezing.", "The lake's water is ice cold.", "She opened a new bank account."},
        {"I can't log in to my account.", "Signing in to my account fails.", "The mountain trail is steep."},
        {"The train was packed with commuters.", "The train was crowded with people going to work.", "Honey never spoils."},
        {"The restaurant serves Italian food.", "This place cooks Italian dishes.", "The satellite was launched yesterday."},
        {"Turn off the lights when you leave.", "Switch the lights off on your way out.", "The economy grew by two percent."},
        {"The movie was boring and too long.", "The film was dull and dragged on.", "Our team won the chess tournament."},
        {"The air conditioner is broken.", "The AC unit stopped working.", "Shakespeare wrote many plays."},
        {"The refund will take five business days.", "You will get your money back within five working days.", "The forest is full of oak trees."},
        {"He runs ten kilometres every morning.", "Each morning he jogs 10 km.", "The contract expires in March."},
        {"The exam was extremely difficult.", "The test was really hard.", "The garden is full of roses."},
        {"We need to hire more engineers.", "Our team must recruit additional developers.", "The cathedral bells rang at noon."},
        {"The bridge is closed for repairs.", "Repair work has shut the bridge.", "Coffee prices are rising worldwide."},
        {"My tooth hurts when I eat sweets.", "Eating candy makes my tooth ache.", "The spacecraft landed on Mars."},
        {"The weather will be sunny tomorrow.", "Tomorrow is expected to be sunny.", "The accountant reviewed the ledger."},
        {"The API returns JSON responses.", "The interface answers with JSON.", "The puppy chewed my slippers."},
        {"She moved to Berlin for a new job.", "She relocated to Berlin to start a new position.", "The pie is in the oven."},
        {"Translate this sentence into French.", "Please put this sentence in French.", "The cargo ship docked at dawn."},
        {"The battery of my phone is dead.", "My phone's battery has run out.", "The parliament passed the new law."},
        {"Our order has not shipped yet.", "The order is still waiting to be sent.", "Elephants live in herds."},
    };

    static OnnxProviderFactory factory;
    static OnnxEmbeddingProvider provider;

    @BeforeAll
    static void load() {
        factory = new OnnxProviderFactory();
        provider = (OnnxEmbeddingProvider) factory.create(ProviderSettings.of(Map.of("provider", "onnx",
                "model", "all-minilm-l6-v2-q", "device", "cpu", "timeout", 60_000L), Map.of()), TinyModel.context());
    }

    @AfterAll
    static void close() {
        factory.close();
    }

    @Test
    void paraphrasesScoreHigherThanUnrelatedSentences() {
        assertThat(TRIPLES.length).isGreaterThanOrEqualTo(40);
        List<String> texts = new ArrayList<>();
        for (String[] t : TRIPLES) {
            texts.addAll(List.of(t));
        }
        // all in batches of 64, so that padding and the attention mask are exercised
        List<float[]> vectors = new ArrayList<>();
        for (int from = 0; from < texts.size(); from += provider.maxBatchSize()) {
            EmbeddingResponse r = provider.embed(EmbeddingRequest.of(texts.subList(from,
                    Math.min(texts.size(), from + provider.maxBatchSize()))), CallContext.of(java.time.Duration.ofSeconds(60)));
            vectors.addAll(r.vectors());
        }
        int right = 0;
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < TRIPLES.length; i++) {
            float[] a = vectors.get(3 * i);
            double para = cosine(a, vectors.get(3 * i + 1));
            double other = cosine(a, vectors.get(3 * i + 2));
            if (para > other) {
                right++;
            } else {
                wrong.add(TRIPLES[i][0]);
            }
        }
        assertThat(right).as("triples where the paraphrase wins; wrong: %s", wrong)
                .isGreaterThanOrEqualTo((int) Math.ceil(0.95 * TRIPLES.length));
    }

    @Test
    void vectorsAre384DimensionalUnitLengthAndBatchIndependent() {
        assertThat(provider.dimensions()).isEqualTo(384);
        String text = "The cat is sleeping on the sofa.";
        float[] alone = provider.embed(EmbeddingRequest.of(text), CallContext.of(java.time.Duration.ofSeconds(30)))
                .vectors().get(0);
        // padded next to a much longer text, the vector must stay nearly the same: the mask keeps the padding out of
        // attention and pooling (the int8 model quantizes activations per batch, hence 0.99 and not 1; averaging the
        // padding in gives far less)
        float[] padded = provider.embed(EmbeddingRequest.of(text, "A much longer sentence that forces the first one to "
                + "be padded with many tokens of nothing at all, so that the mask has to be respected."),
                CallContext.of(java.time.Duration.ofSeconds(30))).vectors().get(0);
        assertThat(alone).hasSize(384);
        double norm = Math.sqrt(dot(alone, alone));
        assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(cosine(alone, padded)).isGreaterThan(0.98);
    }

    static double cosine(float[] a, float[] b) {
        return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
