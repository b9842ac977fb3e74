package io.tributary.common;

/** A record batch whose bytes fail validation: bad CRC, bad length, unknown magic, bad varint. */
public class CorruptRecordException extends TributaryException {

    public CorruptRecordException(String message) {
        super(ErrorCode.CORRUPT_RECORD, message);
    }
}
