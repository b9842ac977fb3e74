package io.tributary.log;

import io.tributary.common.StorageException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one gate every I/O error of a data directory passes through. The first error marks the
 * directory failed, for good: from then on its partitions refuse writes (sticky, until the broker
 * restarts), reads of intact data still work, and the broker reports itself unhealthy. Nothing that
 * was being written is silently dropped: the failing operation, and every later write, fails with
 * {@link StorageException}.
 *
 * <p>Thread safety: thread-safe.
 */
public final class IoFailureGate {

    private static final Logger LOG = LoggerFactory.getLogger(IoFailureGate.class);

    private final Path directory;
    private final AtomicReference<StorageException> failure = new AtomicReference<>();

    public IoFailureGate(Path directory) {
        this.directory = directory;
    }

    /** Marks the directory failed (if it was not already) and returns the exception to throw. */
    public StorageException fail(String what, IOException cause) {
        StorageException e = new StorageException("Log directory " + directory + " failed while " + what
                + "; it takes no more writes until the broker restarts: " + cause, cause);
        if (failure.compareAndSet(null, e)) {
            LOG.error("Log directory {} failed while {}; it refuses writes from now on", directory, what, cause);
        }
        return e;
    }

    /** Throws if the directory has failed. */
    public void ensureWritable() {
        StorageException e = failure.get();
        if (e != null) {
            throw new StorageException(e.getMessage(), e.getCause());
        }
    }

    public boolean failed() {
        return failure.get() != null;
    }

    /** The first failure, or null. */
    public StorageException failure() {
        return failure.get();
    }

    public Path directory() {
        return directory;
    }
}
