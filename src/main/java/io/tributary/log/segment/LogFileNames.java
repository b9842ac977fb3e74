package io.tributary.log.segment;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Names of the files in a partition directory. A segment's files share its base offset written as
 * 20 zero-padded digits, so a directory listing sorts in offset order:
 * {@code 00000000000000000000.log}, {@code .index}, {@code .timeindex}. Suffixes mark files in
 * transit: {@code .cleaned} (a compacted copy being written), {@code .swap} (a compacted copy ready
 * to replace the original) and {@code .deleted} (waiting for deletion).
 */
public final class LogFileNames {

    public static final String LOG_SUFFIX = ".log";
    public static final String INDEX_SUFFIX = ".index";
    public static final String TIME_INDEX_SUFFIX = ".timeindex";
    public static final String CLEANED_SUFFIX = ".cleaned";
    public static final String SWAP_SUFFIX = ".swap";
    public static final String DELETED_SUFFIX = ".deleted";

    private LogFileNames() {
    }

    public static String baseName(long baseOffset) {
        String digits = Long.toString(baseOffset);
        return "0".repeat(Math.max(0, 20 - digits.length())) + digits;
    }

    public static Path logFile(Path dir, long baseOffset) {
        return dir.resolve(baseName(baseOffset) + LOG_SUFFIX);
    }

    public static Path indexFile(Path dir, long baseOffset) {
        return dir.resolve(baseName(baseOffset) + INDEX_SUFFIX);
    }

    public static Path timeIndexFile(Path dir, long baseOffset) {
        return dir.resolve(baseName(baseOffset) + TIME_INDEX_SUFFIX);
    }

    /** The base offset of a file named {@code <20 digits><suffix>}, if the name has that shape. */
    public static OptionalLong baseOffsetOf(String fileName, String suffix) {
        if (!fileName.endsWith(suffix) || fileName.length() != 20 + suffix.length()) {
            return OptionalLong.empty();
        }
        String digits = fileName.substring(0, 20);
        for (int i = 0; i < digits.length(); i++) {
            if (!Character.isDigit(digits.charAt(i))) {
                return OptionalLong.empty();
            }
        }
        try {
            return OptionalLong.of(Long.parseLong(digits));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
