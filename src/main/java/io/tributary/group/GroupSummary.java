package io.tributary.group;

/** A group in a listing. */
public record GroupSummary(String group, GroupState state, int generation, String assignor, int members) {
}
