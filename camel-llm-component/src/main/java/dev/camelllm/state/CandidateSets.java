package dev.camelllm.state;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Bounded sets of the newest entries under a name, in the same server as the limits and budgets (the
 * semantic cache's candidates live here when the state store is shared). Each entry has an id, a small
 * probe (what the caller compares, e.g. an embedding) and a larger payload, fetched only for the entry the
 * caller chose. An entry's age is measured on the server's clock, the same for every instance. Reads are
 * bounded by the store's timeout and throw {@link StateStoreUnavailableException} rather than wait longer.
 */
public interface CandidateSets {

    /** An entry's id and probe. */
    record Candidate(String id, String probe) {
    }

    /** The probes of the newest (at most {@code max}) entries of the set younger than {@code maxAge}, newest first; one round trip. */
    List<Candidate> newest(String set, int max, Duration maxAge);

    /** The payload of the entry {@code id} of the set, or null when it is gone. */
    String payload(String set, String id);

    /**
     * Adds the entry, replacing one of the same id, keeping the newest {@code keep} entries and dropping those
     * older than {@code ttl}, in one atomic step; the set itself expires {@code ttl} after its last add. Sent,
     * not waited for: the stage completes when it is done or fails with {@link StateStoreUnavailableException}
     * (within the store's timeout).
     */
    CompletionStage<Void> add(String set, String id, String probe, String payload, int keep, Duration ttl);
}
