package io.tributary.common;

import java.util.Objects;

/** A failure with a stable {@link ErrorCode}, safe to report to a client as it is. */
public class TributaryException extends RuntimeException {

    private final ErrorCode code;

    public TributaryException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public TributaryException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }
}
