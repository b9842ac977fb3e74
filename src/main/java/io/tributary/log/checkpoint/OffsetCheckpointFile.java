package io.tributary.log.checkpoint;

import io.tributary.common.TopicPartition;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A small file mapping partitions to offsets, such as the recovery point of each partition in a
 * data directory. Text, so an operator can read it:
 * <pre>
 * 0                      version
 * 2                      number of entries
 * orders 0 1042          topic, partition, offset
 * orders 1 977
 * </pre>
 * Topic names cannot contain spaces (see {@link io.tributary.common.TopicName}), so a line splits
 * unambiguously.
 *
 * <p>Writes are atomic: the content goes to {@code <name>.tmp}, is forced to the device, and is
 * renamed over the old file; the directory is then forced so the rename itself survives a crash.
 * A reader therefore sees the old content or the new, never a mixture. Thread safety: writes
 * serialised by this object; reads thread-safe.
 */
public final class OffsetCheckpointFile {

    static final int VERSION = 0;

    private final Path file;

    public OffsetCheckpointFile(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Replaces the file's content with {@code offsets}. */
    public synchronized void write(Map<TopicPartition, Long> offsets) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(VERSION).append('\n').append(offsets.size()).append('\n');
        offsets.forEach((tp, offset) ->
                text.append(tp.topic()).append(' ').append(tp.partition()).append(' ').append(offset).append('\n'));
        writeAtomically(file, text.toString());
    }

    /** Writes {@code text} to {@code <file>.tmp}, forces it, and renames it over {@code file}. */
    static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            var buffer = java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        atomicReplace(tmp, file);
    }

    /**
     * The offsets in the file; empty when there is no file. Content that does not parse is an
     * {@link IOException}: the caller decides what an unreadable checkpoint means (for recovery
     * points: recover everything).
     */
    public Optional<Map<TopicPartition, Long>> read() throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        String[] lines = text.split("\n");
        try {
            if (lines.length < 2 || Integer.parseInt(lines[0].trim()) != VERSION) {
                throw new IOException("Checkpoint " + file + " has an unknown version or no header");
            }
            int count = Integer.parseInt(lines[1].trim());
            if (lines.length != count + 2) {
                throw new IOException("Checkpoint " + file + " announces " + count + " entries but has "
                        + (lines.length - 2));
            }
            Map<TopicPartition, Long> offsets = new HashMap<>();
            for (int i = 2; i < lines.length; i++) {
                String[] fields = lines[i].split(" ");
                if (fields.length != 3) {
                    throw new IOException("Checkpoint " + file + " line " + (i + 1) + " is malformed");
                }
                offsets.put(new TopicPartition(fields[0], Integer.parseInt(fields[1])), Long.parseLong(fields[2]));
            }
            return Optional.of(offsets);
        } catch (IllegalArgumentException e) {
            throw new IOException("Checkpoint " + file + " has a malformed entry: " + e.getMessage(), e);
        }
    }

    /** Renames {@code source} over {@code target} atomically and forces the directory. */
    public static void atomicReplace(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(target.toAbsolutePath().getParent());
    }

    /** Forces a directory's entries (creations, renames) to the device, where the platform allows it. */
    public static void forceDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (!System.getProperty("os.name", "").toLowerCase().contains("win")) {
                throw e;
            }
        }
    }
}
