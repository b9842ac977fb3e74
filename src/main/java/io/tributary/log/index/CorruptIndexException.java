package io.tributary.log.index;

import java.io.IOException;

/** An index file that does not make sense; the owner rebuilds it from the segment. */
public class CorruptIndexException extends IOException {

    public CorruptIndexException(String message) {
        super(message);
    }
}
