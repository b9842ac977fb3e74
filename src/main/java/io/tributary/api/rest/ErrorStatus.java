package io.tributary.api.rest;

import io.tributary.common.ErrorCode;
import org.springframework.http.HttpStatus;

/** The HTTP status each stable error code is reported with. */
public final class ErrorStatus {

    private ErrorStatus() {
    }

    public static HttpStatus of(ErrorCode code) {
        return switch (code) {
            case TOPIC_NOT_FOUND, PARTITION_NOT_FOUND -> HttpStatus.NOT_FOUND;
            case TOPIC_ALREADY_EXISTS -> HttpStatus.CONFLICT;
            case TOPIC_AUTHORIZATION_FAILED -> HttpStatus.FORBIDDEN;
            case RECORD_TOO_LARGE, REQUEST_TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
            case OFFSET_OUT_OF_RANGE -> HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE;
            case INVALID_REQUEST, CORRUPT_RECORD, INVALID_RECORD, INVALID_TOPIC_NAME, INVALID_PARTITIONS,
                 INVALID_REPLICATION_FACTOR, INVALID_CONFIG -> HttpStatus.BAD_REQUEST;
            case REQUEST_TIMED_OUT -> HttpStatus.GATEWAY_TIMEOUT;
            case STORAGE_ERROR, NOT_LEADER, LEADER_NOT_AVAILABLE, NOT_ENOUGH_REPLICAS, NOT_ENOUGH_REPLICAS_AFTER_APPEND,
                 BROKER_NOT_AVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
            case UNKNOWN_SERVER_ERROR -> HttpStatus.INTERNAL_SERVER_ERROR;
            case ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS, GROUP_NOT_EMPTY -> HttpStatus.CONFLICT;
            case UNKNOWN_MEMBER_ID, GROUP_NOT_FOUND -> HttpStatus.NOT_FOUND;
            case NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS -> HttpStatus.SERVICE_UNAVAILABLE;
        };
    }
}
