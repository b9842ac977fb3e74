/**
 * Consumer groups: the group state machine, partition assignors, and (with the coordinator) group
 * membership, generations and committed offsets stored in {@code __consumer_offsets}.
 */
package io.tributary.group;
