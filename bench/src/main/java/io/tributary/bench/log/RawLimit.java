package io.tributary.bench.log;

import io.tributary.log.LogConfig;
import io.tributary.log.record.MemoryRecords;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The machine's raw limit: one thread writing equal-sized frames with {@code FileChannel.write} at
 * the end of a file, as a segment does, moving to a new file at the default segment size (no fsync
 * then: the bare limit). Frames are the bytes of a batch, so the figure converts to records per
 * second. With {@code fsync}, every frame is followed by {@code force}: the device's limit for
 * acknowledged writes, against which the {@code on-ack} figures can be judged.
 */
final class RawLimit {

    private static final long FILE_BYTES = LogConfig.defaults().segmentBytes();

    private RawLimit() {
    }

    static Measurement.Run measure(String name, Path dir, int recordsPerFrame, boolean fsync, BenchOptions options) {
        MemoryRecords frame = Workload.batch(recordsPerFrame, 42);
        Writer writer = new Writer(dir, fsync);
        try {
            return ClosedLoop.run(name, 1, t -> () -> writer.write(frame.buffer()), recordsPerFrame,
                    frame.sizeInBytes(), options);
        } finally {
            writer.close();
            Workload.discardSegments(dir);
            Workload.deleteRecursively(dir);
        }
    }

    /** Appends frames to {@code 0.log}, {@code 1.log}, ... Not thread-safe. */
    private static final class Writer {
        private final Path dir;
        private final boolean fsync;
        private FileChannel channel;
        private long position;
        private int files;

        Writer(Path dir, boolean fsync) {
            this.dir = dir;
            this.fsync = fsync;
            try {
                Files.createDirectories(dir);
                next();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void write(ByteBuffer frame) throws IOException {
            if (position + frame.remaining() > FILE_BYTES) {
                channel.close();
                next();
            }
            while (frame.hasRemaining()) {
                position += channel.write(frame, position);
            }
            if (fsync) {
                channel.force(false);
            }
        }

        private void next() throws IOException {
            channel = FileChannel.open(dir.resolve(files++ + ".log"), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            position = 0;
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
