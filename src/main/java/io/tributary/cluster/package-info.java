/**
 * Cluster coordination through ZooKeeper: broker registration, controller election, topic
 * definitions and partition states with compare-and-set updates, the controller's elections
 * ({@link io.tributary.cluster.Controller}), and the embedded server a lone broker runs. The only
 * package that imports Curator or ZooKeeper; the rest of the broker sees
 * {@link io.tributary.cluster.ClusterMetadata} and its plain records.
 */
package io.tributary.cluster;
