package io.tributary.log;

import io.tributary.log.segment.ChannelOpener;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link FileChannel} that passes everything to a real one, except that writes and forces fail
 * with an {@link IOException} while its {@link Faults} say so, as a full or failing disk makes
 * them. A failing write first writes half of what it was given, the way a write cut short by a
 * full device leaves a torn batch behind. Forces are counted, and can be held until released.
 */
final class FaultyFileChannel extends FileChannel {

    /** The switches every channel from one {@link #opener()} shares. */
    static final class Faults {
        final AtomicBoolean failWrites = new AtomicBoolean();
        final AtomicBoolean failForces = new AtomicBoolean();
        final AtomicInteger forces = new AtomicInteger();
        private final Semaphore forcesHeld = new Semaphore(0);
        private volatile CountDownLatch release;

        /** Opens segment files as channels that obey these faults. */
        ChannelOpener opener() {
            return (path, options) -> new FaultyFileChannel(FileChannel.open(path, options), this);
        }

        /** From now on every force waits, before it forces anything, until {@link #releaseForces()}. */
        void holdForces() {
            release = new CountDownLatch(1);
        }

        /** Waits until a force is being held (up to 10 s); false if none came. */
        boolean awaitHeldForce() throws InterruptedException {
            return forcesHeld.tryAcquire(10, java.util.concurrent.TimeUnit.SECONDS);
        }

        void releaseForces() {
            CountDownLatch latch = release;
            release = null;
            if (latch != null) {
                latch.countDown();
            }
        }

        private void beforeForce() throws IOException {
            forces.incrementAndGet();
            CountDownLatch latch = release;
            if (latch != null) {
                forcesHeld.release();
                try {
                    latch.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("Interrupted while a force was held", e);
                }
            }
            if (failForces.get()) {
                throw new IOException("Injected fsync failure");
            }
        }
    }

    private final FileChannel delegate;
    private final Faults faults;

    FaultyFileChannel(FileChannel delegate, Faults faults) {
        this.delegate = delegate;
        this.faults = faults;
    }

    private ByteBuffer maybeFail(ByteBuffer src, long position) throws IOException {
        if (!faults.failWrites.get()) {
            return src;
        }
        ByteBuffer half = src.duplicate();
        half.limit(half.position() + half.remaining() / 2);
        if (position >= 0) {
            delegate.write(half, position);
        } else {
            delegate.write(half);
        }
        throw new IOException("Injected write failure (No space left on device)");
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return delegate.write(maybeFail(src, -1));
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        return delegate.write(maybeFail(src, position), position);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (faults.failWrites.get()) {
            throw new IOException("Injected write failure (No space left on device)");
        }
        return delegate.write(srcs, offset, length);
    }

    @Override
    public void force(boolean metaData) throws IOException {
        faults.beforeForce();
        delegate.force(metaData);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return delegate.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return delegate.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return delegate.read(dst, position);
    }

    @Override
    public long position() throws IOException {
        return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        delegate.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        delegate.truncate(size);
        return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return delegate.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        if (faults.failWrites.get()) {
            throw new IOException("Injected write failure (No space left on device)");
        }
        return delegate.transferFrom(src, position, count);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return delegate.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        delegate.close();
    }
}
