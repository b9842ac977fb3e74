package io.tributary.common;

/**
 * The log directory holding the partition has failed (an I/O error) and refuses writes until the
 * broker is restarted with the fault fixed. Retriable: another replica may take over.
 */
public class StorageException extends TributaryException {

    public StorageException(String message, Throwable cause) {
        super(ErrorCode.STORAGE_ERROR, message, cause);
    }
}
