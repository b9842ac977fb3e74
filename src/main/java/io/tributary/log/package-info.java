/**
 * The storage engine: partition logs of segment files, recovery, retention, compaction, flushing
 * and the {@link io.tributary.log.LogManager} that owns a data directory. Plain Java (java.nio):
 * no Spring, Reactor, Curator, JPA or Netty, which {@code ArchitectureTest} enforces. The rest of
 * the broker reaches storage through {@link io.tributary.log.PartitionLog} and
 * {@link io.tributary.log.LogManager}.
 */
package io.tributary.log;
