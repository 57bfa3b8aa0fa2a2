package dev.camelllm.api;

/** Who wrote a message. Provider codecs map these to their wire roles. */
public enum Role {
    SYSTEM,
    USER,
    ASSISTANT,
    TOOL
}
