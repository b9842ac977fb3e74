package io.tributary.replication;

/**
 * Replication settings, in core units.
 *
 * @param bindHost         the address the replication channel listens on
 * @param port             its port (0: any free port)
 * @param replicaLagTimeMaxMs a follower not caught up for this long leaves the ISR
 * @param fetchMaxWaitMs   how long a follower's fetch waits at the leader when there is nothing new
 * @param fetchMaxBytes    about how many bytes one fetch returns (at least one batch)
 * @param fetcherThreads   fetcher threads per leader broker
 * @param ackTimeoutMs     how long an {@code acks=all} produce waits for the in-sync replicas
 * @param controllerIntervalMs how often the controller re-checks every partition besides reacting to events
 */
public record ReplicationConfig(String bindHost, int port, long replicaLagTimeMaxMs, int fetchMaxWaitMs,
                                int fetchMaxBytes, int fetcherThreads, long ackTimeoutMs, long controllerIntervalMs) {

    public static ReplicationConfig defaults() {
        return new ReplicationConfig("127.0.0.1", 0, 30_000, 500, 1024 * 1024, 1, 30_000, 5_000);
    }
}
