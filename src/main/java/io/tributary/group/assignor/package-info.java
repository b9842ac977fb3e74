/** Partition assignors: range, round robin and sticky, behind one {@code PartitionAssignor} interface. */
package io.tributary.group.assignor;
