package io.tributary.api.ws;

import io.tributary.api.codec.JsonByteWriter;
import io.tributary.common.ErrorCode;
import io.tributary.common.OffsetOutOfRangeException;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import org.springframework.web.reactive.socket.CloseStatus;

import java.util.concurrent.CompletionException;

/**
 * Error frames and the close status that follows a fatal one. An error frame is
 * {@code {"type":"error","code","retriable","fatal","detail"}} with the stable {@link ErrorCode}
 * name, plus {@code id} on the produce socket and, for OFFSET_OUT_OF_RANGE, the partition and the
 * valid range. {@code fatal: true} means a close follows:
 * <pre>
 * close status                 when
 * 1003 unsupported data        a binary frame, or a text frame that is not JSON
 * 1008 policy violation        bad input: parameters, frames, unknown topic or partition, offsets
 * 1009 message too big         RECORD_TOO_LARGE, REQUEST_TOO_LARGE
 * 1013 try again later         retriable server conditions (NOT_LEADER, STORAGE_ERROR, ...)
 * 1012 service restart         NOT_COORDINATOR: a relayed member's coordinator went away ({@link CoordinatorRelay})
 * 1011 server error            anything unexpected
 * </pre>
 */
final class ErrorFrames {

    static final CloseStatus UNSUPPORTED_DATA = CloseStatus.NOT_ACCEPTABLE;

    /** The id of a produce frame that had none, or could not be read. */
    static final byte[] NULL_ID = {'n', 'u', 'l', 'l'};

    private ErrorFrames() {
    }

    /** The failure as a Tributary error, unwrapping futures' wrappers. */
    static TributaryException asTributary(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof TributaryException t) {
            return t;
        }
        return new TributaryException(ErrorCode.UNKNOWN_SERVER_ERROR, "An unexpected error occurred: "
                + cause.getClass().getSimpleName(), cause);
    }

    static CloseStatus closeStatus(ErrorCode code) {
        return switch (code) {
            case RECORD_TOO_LARGE, REQUEST_TOO_LARGE -> CloseStatus.TOO_BIG_TO_PROCESS;
            case UNKNOWN_SERVER_ERROR -> CloseStatus.SERVER_ERROR;
            default -> code.retriable() ? CloseStatus.SERVICE_OVERLOAD : CloseStatus.POLICY_VIOLATION;
        };
    }

    /** An error frame; {@code rawId} is the produce frame's id as sent (JSON), or null. */
    static byte[] error(TributaryException error, boolean fatal, byte[] rawId) {
        JsonByteWriter out = new JsonByteWriter(256);
        out.ascii("{\"type\":\"error\"");
        if (rawId != null) {
            out.ascii(",\"id\":").raw(rawId);
        }
        out.ascii(",\"code\":").string(error.code().name())
                .ascii(",\"retriable\":").ascii(Boolean.toString(error.code().retriable()))
                .ascii(",\"fatal\":").ascii(Boolean.toString(fatal))
                .ascii(",\"detail\":").string(error.getMessage());
        if (error instanceof OffsetOutOfRangeException range) {
            out.ascii(",\"offset\":").number(range.offset())
                    .ascii(",\"logStartOffset\":").number(range.logStartOffset())
                    .ascii(",\"logEndOffset\":").number(range.logEndOffset());
        }
        return out.ascii("}").toByteArray();
    }

    /** The non-fatal error told when a consumer's position fell out of the log and was moved. */
    static byte[] positionReset(TopicPartition tp, long resetTo, OffsetOutOfRangeException cause) {
        JsonByteWriter out = new JsonByteWriter(256);
        out.ascii("{\"type\":\"error\",\"code\":").string(ErrorCode.OFFSET_OUT_OF_RANGE.name())
                .ascii(",\"retriable\":false,\"fatal\":false,\"detail\":").string(cause.getMessage()
                        + "; continuing from " + resetTo)
                .ascii(",\"topic\":").string(tp.topic())
                .ascii(",\"partition\":").number(tp.partition())
                .ascii(",\"offset\":").number(cause.offset())
                .ascii(",\"logStartOffset\":").number(cause.logStartOffset())
                .ascii(",\"logEndOffset\":").number(cause.logEndOffset())
                .ascii(",\"resetTo\":").number(resetTo);
        return out.ascii("}").toByteArray();
    }
}
