package io.tributary.group;

/**
 * Where a group is coordinated: the partition of the offsets topic holding it, and whether this
 * broker leads that partition. A request for a group coordinated elsewhere is refused with the
 * retriable {@code NOT_COORDINATOR}; routing it to the right broker is the cluster front's job.
 */
public record CoordinatorPlacement(int partition, boolean local) {

    /**
     * The offsets partition of a group: {@code abs(groupId.hashCode()) % partitions}, with Kafka's
     * {@code Utils.abs} (Integer.MIN_VALUE maps to 0), so a group lands where Kafka would put it.
     */
    public static int partitionFor(String group, int partitions) {
        int hash = group.hashCode();
        return (hash == Integer.MIN_VALUE ? 0 : Math.abs(hash)) % partitions;
    }
}
