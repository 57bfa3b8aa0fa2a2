package dev.camelllm.examples.tickets;

import com.fasterxml.jackson.annotation.JsonValue;

/** A classified support ticket: what the model's answer becomes (outputClass), checked by schemas/ticket.json. */
public record Ticket(Category category, int urgency, String summary) {

    public enum Category {
        BILLING, TECHNICAL, OTHER;

        /** The schema's value, also the folder the ticket goes to. */
        @JsonValue
        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Urgency 4 and 5 are paged rather than queued. */
    public boolean urgent() {
        return urgency >= 4;
    }
}
