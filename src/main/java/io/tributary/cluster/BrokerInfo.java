package io.tributary.cluster;

/**
 * A live broker as it registered itself: its id, the host clients and other brokers reach it at,
 * its HTTP port and its replication port.
 */
public record BrokerInfo(int id, String host, int port, int replicationPort) {
}
