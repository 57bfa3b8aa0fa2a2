package dev.camelllm.structured;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import dev.camelllm.spi.Json;

/**
 * Checks an answer against a JSON schema with networknt's json-schema-validator. A schema without
 * {@code $schema} is read as draft 2020-12. Schemas may come from a gateway client: the registry fetches
 * no remote {@code $ref} (json-schema-validator 3.x fetches none unless told to), so a schema cannot make
 * the server call out.
 */
public final class SchemaCheck {

    /** At most this many errors are reported (and sent back to the model in a re-ask). */
    static final int MAX_ERRORS = 10;

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    /** The 2020-12 meta-schema (shipped in the validator's jar): a schema is checked against it before use. */
    private static final Schema META = REGISTRY.getSchema(
            SchemaLocation.of(SpecificationVersion.DRAFT_2020_12.getDialectId()));
    /** Rejects "{}x" and the like, which a plain readTree would accept. */
    private static final ObjectReader STRICT = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Schema schema;

    private SchemaCheck(Schema schema) {
        this.schema = schema;
    }

    /** Compiles a schema; one the validator cannot use fails with IllegalArgumentException saying why. */
    static SchemaCheck compile(Map<String, Object> schema) {
        if (schema == null || schema.isEmpty()) {
            throw new IllegalArgumentException("the JSON schema is empty");
        }
        String json = Json.write(schema);
        List<Error> invalid = META.validate(json, InputFormat.JSON);
        if (!invalid.isEmpty()) {
            // a keyword the validator does not understand would otherwise let every answer through
            throw new IllegalArgumentException("not a valid JSON schema: " + invalid.get(0)
                    + (invalid.size() > 1 ? " (and " + (invalid.size() - 1) + " more)" : ""));
        }
        try {
            Schema compiled = REGISTRY.getSchema(json, InputFormat.JSON);
            compiled.initializeValidators(); // resolves $refs now, so that a broken one fails here, not per answer
            return new SchemaCheck(compiled);
        } catch (SchemaException | IllegalStateException e) {
            throw new IllegalArgumentException("the JSON schema cannot be used (" + e.getMessage() + ")", e);
        }
    }

    /** Parses the text as one JSON document; null when it is not one. */
    static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return STRICT.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }

    /** The errors of a JSON document against the schema, at most {@link #MAX_ERRORS}; empty when it is valid. */
    List<String> errors(String json) {
        List<Error> found = schema.validate(json, InputFormat.JSON);
        List<String> out = new ArrayList<>();
        for (Error e : found) {
            if (out.size() == MAX_ERRORS) {
                out.add("(" + (found.size() - MAX_ERRORS) + " more)");
                break;
            }
            String at = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
            out.add((at.isEmpty() ? "(root)" : at) + ": " + e.getMessage());
        }
        return out;
    }
}
