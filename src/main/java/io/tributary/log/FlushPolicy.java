package io.tributary.log;

/**
 * When appended bytes are forced to the device. In every policy an append has reached the OS
 * ({@code FileChannel.write}) before it is acknowledged; the policies differ in when {@code fsync}
 * happens and whether the acknowledgement waits for it.
 */
public enum FlushPolicy {
    /** Only at segment roll and clean shutdown; a machine crash may lose what the OS held. */
    NONE,
    /** Every {@code flush-interval}; acknowledgements do not wait. */
    INTERVAL,
    /**
     * Group commit: an append's future completes only after an fsync that covers it; one fsync
     * serves every append waiting at that moment.
     */
    ON_ACK
}
