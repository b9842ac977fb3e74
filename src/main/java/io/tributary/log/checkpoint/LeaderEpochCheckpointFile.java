package io.tributary.log.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The leader epochs of one partition log, in the partition directory as
 * {@value #FILE_NAME}. Text, so an operator can read it:
 * <pre>
 * 0                      version
 * 2                      number of entries
 * 0 0                    leader epoch, offset of its first record
 * 3 1042
 * </pre>
 * Entries are in increasing order of both epoch and start offset. Writes are atomic (temp file,
 * fsync, rename, directory fsync), as for {@link OffsetCheckpointFile}. Thread safety: writes
 * serialised by this object; reads thread-safe.
 */
public final class LeaderEpochCheckpointFile {

    public static final String FILE_NAME = "leader-epoch-checkpoint";
    static final int VERSION = 0;

    /** One leader epoch and the offset of its first record. */
    public record Entry(int epoch, long startOffset) {
    }

    private final Path file;

    public LeaderEpochCheckpointFile(Path partitionDir) {
        this.file = partitionDir.resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    /** Replaces the file's content with {@code entries}. */
    public synchronized void write(List<Entry> entries) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(VERSION).append('\n').append(entries.size()).append('\n');
        entries.forEach(e -> text.append(e.epoch()).append(' ').append(e.startOffset()).append('\n'));
        OffsetCheckpointFile.writeAtomically(file, text.toString());
    }

    /** The entries in the file; empty when there is no file. Malformed content is an {@link IOException}. */
    public List<Entry> read() throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        String[] lines = text.split("\n");
        try {
            if (lines.length < 2 || Integer.parseInt(lines[0].trim()) != VERSION) {
                throw new IOException("Leader epoch checkpoint " + file + " has an unknown version or no header");
            }
            int count = Integer.parseInt(lines[1].trim());
            if (lines.length != count + 2) {
                throw new IOException("Leader epoch checkpoint " + file + " announces " + count + " entries but has "
                        + (lines.length - 2));
            }
            List<Entry> entries = new ArrayList<>();
            for (int i = 2; i < lines.length; i++) {
                String[] fields = lines[i].trim().split(" ");
                if (fields.length != 2) {
                    throw new IOException("Leader epoch checkpoint " + file + " line " + (i + 1) + " is malformed");
                }
                entries.add(new Entry(Integer.parseInt(fields[0]), Long.parseLong(fields[1])));
            }
            return entries;
        } catch (NumberFormatException e) {
            throw new IOException("Leader epoch checkpoint " + file + " has a malformed entry: " + e.getMessage(), e);
        }
    }
}
