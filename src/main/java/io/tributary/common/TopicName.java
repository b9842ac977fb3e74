package io.tributary.common;

/**
 * Topic-name rules. A name becomes a directory name on disk, so it is checked here before it gets
 * anywhere near the file system: only {@code [a-zA-Z0-9._-]}, 1 to 249 characters, never {@code .}
 * or {@code ..}. With that alphabet a name cannot contain a path separator, so a partition
 * directory {@code <topic>-<partition>} always stays inside the data directory. Names starting
 * with {@code __} are reserved for internal topics.
 */
public final class TopicName {

    public static final int MAX_LENGTH = 249;
    public static final String INTERNAL_PREFIX = "__";

    private TopicName() {
    }

    /** Throws {@link ErrorCode#INVALID_TOPIC_NAME} unless {@code name} is a legal topic name. */
    public static String validate(String name) {
        if (name == null || name.isEmpty()) {
            throw invalid("Topic name must not be empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw invalid("Topic name is " + name.length() + " characters; the limit is " + MAX_LENGTH);
        }
        if (name.equals(".") || name.equals("..")) {
            throw invalid("Topic name cannot be '.' or '..'");
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isLegal(name.charAt(i))) {
                throw invalid("Topic name may contain only ASCII letters, digits, '.', '_' and '-'");
            }
        }
        return name;
    }

    /** Whether the name is legal, without throwing. */
    public static boolean isValid(String name) {
        try {
            validate(name);
            return true;
        } catch (TributaryException e) {
            return false;
        }
    }

    /** Internal topics (such as {@code __consumer_offsets}) are written by the broker only. */
    public static boolean isInternal(String name) {
        return name.startsWith(INTERNAL_PREFIX);
    }

    private static boolean isLegal(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '-';
    }

    private static TributaryException invalid(String message) {
        return new TributaryException(ErrorCode.INVALID_TOPIC_NAME, message);
    }
}
