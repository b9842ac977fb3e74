package io.tributary.service;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.tributary.log.LogConfig;
import io.tributary.replication.ReplicaManager;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Topic config overrides: the log settings of {@link LogConfig} plus the replication settings
 * {@code min.insync.replicas} and {@code unclean.leader.election.enable}. Every name and value is
 * checked before a topic is created or changed, so a bad config writes nothing.
 */
public final class TopicConfigs {

    public static final String UNCLEAN_LEADER_ELECTION = "unclean.leader.election.enable";
    static final Set<String> REPLICATION_NAMES = Set.of(ReplicaManager.MIN_INSYNC_REPLICAS, UNCLEAN_LEADER_ELECTION);

    private TopicConfigs() {
    }

    /** Throws {@link ErrorCode#INVALID_CONFIG} unless every override is known and valid. */
    public static Map<String, String> validate(Map<String, String> configs, LogConfig defaults, int replicationFactor) {
        Map<String, String> logPart = new HashMap<>();
        for (Map.Entry<String, String> e : configs.entrySet()) {
            if (e.getValue() == null) {
                throw invalid("Topic config '" + e.getKey() + "' has no value");
            }
            if (!REPLICATION_NAMES.contains(e.getKey())) {
                logPart.put(e.getKey(), e.getValue());
            }
        }
        defaults.withOverrides(logPart);
        String minIsr = configs.get(ReplicaManager.MIN_INSYNC_REPLICAS);
        if (minIsr != null) {
            int value;
            try {
                value = Integer.parseInt(minIsr.trim());
            } catch (NumberFormatException e) {
                throw invalid("min.insync.replicas must be a whole number, not '" + minIsr + "'");
            }
            if (value < 1 || value > replicationFactor) {
                throw invalid("min.insync.replicas must be between 1 and the replication factor ("
                        + replicationFactor + "), not " + value);
            }
        }
        String unclean = configs.get(UNCLEAN_LEADER_ELECTION);
        if (unclean != null && !Set.of("true", "false").contains(unclean.trim().toLowerCase(Locale.ROOT))) {
            throw invalid("unclean.leader.election.enable must be true or false, not '" + unclean + "'");
        }
        return Map.copyOf(configs);
    }

    private static TributaryException invalid(String message) {
        return new TributaryException(ErrorCode.INVALID_CONFIG, message);
    }
}
