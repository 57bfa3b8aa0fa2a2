package dev.camelllm.provider.bedrock;

import java.math.BigDecimal;
import java.util.Properties;

import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.Usage;
import dev.camelllm.component.LlmComponent;
import dev.camelllm.observability.PriceTable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Bedrock prices of docs/providers.md, as properties Camel Main binds: keys with dots (inference profiles,
 * model ids) work, and a dated model id with its {@code -v1:0} suffix finds its entry by prefix.
 */
@Timeout(60)
class BedrockPricesTest {

    @Test
    void bedrockModelIdsFindTheirPrices() throws Exception {
        Properties p = new Properties();
        p.put("camel.component.llm.prices[us.anthropic.claude-sonnet-4-5].input", "3");
        p.put("camel.component.llm.prices[us.anthropic.claude-sonnet-4-5].output", "15");
        p.put("camel.component.llm.prices[us.anthropic.claude-sonnet-4-5].cache-read", "0.30");
        p.put("camel.component.llm.prices[amazon.nova-lite].input", "0.06");
        p.put("camel.component.llm.prices[amazon.nova-lite].output", "0.24");
        Main main = new Main();
        main.setOverrideProperties(p);
        main.bind("llm", new LlmComponent());
        main.start();
        try {
            LlmComponent llm = main.getCamelContext().getComponent("llm", LlmComponent.class);
            PriceTable table = new PriceTable(llm.getPrices());

            BigDecimal claude = table.cost(false, null, "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                    new Usage(1_000_000, 100_000, 1_000_000, 0)).orElseThrow();
            BigDecimal nova = table.cost(false, null, "amazon.nova-lite-v1:0", new Usage(1_000_000, 1_000_000)).orElseThrow();

            assertThat(claude).isEqualByComparingTo("4.8"); // 3 + 1.5 + 0.30
            assertThat(nova).isEqualByComparingTo("0.30");
            assertThat(llm.getPrices()).containsKeys("us.anthropic.claude-sonnet-4-5", "amazon.nova-lite");
        } finally {
            main.stop();
        }
    }
}
