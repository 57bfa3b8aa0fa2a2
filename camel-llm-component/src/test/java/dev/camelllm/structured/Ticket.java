package dev.camelllm.structured;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A support ticket as the tests' routes want it: an enum to route on, a number, a text. */
public record Ticket(Category category, int urgency, String summary) {

    public enum Category {
        @JsonProperty("billing") BILLING,
        @JsonProperty("technical") TECHNICAL,
        @JsonProperty("other") OTHER
    }
}
