package io.tributary.common;

/**
 * The stable error codes Tributary reports to clients, each with whether the client may retry the
 * same request. The names are a contract: clients match on them, so a constant is never renamed.
 * Transports render them (problem details over HTTP, error frames over WebSocket); the code and the
 * retriable flag are the same everywhere.
 */
public enum ErrorCode {
    UNKNOWN_SERVER_ERROR(false),
    INVALID_REQUEST(false),
    REQUEST_TOO_LARGE(false),
    CORRUPT_RECORD(false),
    INVALID_RECORD(false),
    RECORD_TOO_LARGE(false),
    OFFSET_OUT_OF_RANGE(false),
    TOPIC_NOT_FOUND(false),
    PARTITION_NOT_FOUND(false),
    INVALID_TOPIC_NAME(false),
    TOPIC_ALREADY_EXISTS(false),
    TOPIC_AUTHORIZATION_FAILED(false),
    INVALID_PARTITIONS(false),
    INVALID_REPLICATION_FACTOR(false),
    INVALID_CONFIG(false),
    STORAGE_ERROR(true),
    NOT_LEADER(true),
    LEADER_NOT_AVAILABLE(true),
    NOT_ENOUGH_REPLICAS(true),
    NOT_ENOUGH_REPLICAS_AFTER_APPEND(true),
    REQUEST_TIMED_OUT(true),
    BROKER_NOT_AVAILABLE(true),
    ILLEGAL_GENERATION(false),
    UNKNOWN_MEMBER_ID(false),
    REBALANCE_IN_PROGRESS(true),
    NOT_COORDINATOR(true),
    COORDINATOR_LOAD_IN_PROGRESS(true),
    GROUP_NOT_EMPTY(false),
    GROUP_NOT_FOUND(false);

    private final boolean retriable;

    ErrorCode(boolean retriable) {
        this.retriable = retriable;
    }

    /** Whether the same request may succeed if the client sends it again later. */
    public boolean retriable() {
        return retriable;
    }
}
