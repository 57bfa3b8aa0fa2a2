package dev.camelllm.structured;

import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.spi.Json;

/**
 * Derives a JSON schema from a Java record or POJO (victools jsonschema-generator with its Jackson module, so
 * that {@code @JsonProperty} names and enum values are the ones Jackson reads back). The schema is shaped
 * for strict modes (OpenAI's): every property required, no additional properties, no {@code $schema}.
 */
public final class ClassSchemas {

    private static final SchemaGenerator GENERATOR = generator();

    private ClassSchemas() {
    }

    private static SchemaGenerator generator() {
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12,
                OptionPreset.PLAIN_JSON)
                .with(new JacksonModule(JacksonOption.FLATTENED_ENUMS_FROM_JSONPROPERTY,
                        JacksonOption.FLATTENED_ENUMS_FROM_JSONVALUE, JacksonOption.RESPECT_JSONPROPERTY_ORDER))
                .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT)
                .without(Option.SCHEMA_VERSION_INDICATOR);
        // strict modes want every property listed as required; a nullable one says so in its type
        config.forFields().withRequiredCheck(field -> true);
        return new SchemaGenerator(config.build());
    }

    /** The schema of a class; one that cannot be described fails naming the class. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> of(Class<?> type) {
        ObjectNode schema;
        try {
            schema = GENERATOR.generateSchema(type);
        } catch (RuntimeException e) {
            throw new LlmConfigurationException("Invalid option 'outputClass': cannot derive a JSON schema from "
                    + type.getName() + " (" + e.getMessage() + ")");
        }
        if (!"object".equals(Json.text(schema, "type"))) {
            throw new LlmConfigurationException("Invalid option 'outputClass': " + type.getName()
                    + " is not described by a JSON object (a record or a class with fields is expected)");
        }
        return Json.MAPPER.convertValue(schema, Map.class);
    }
}
