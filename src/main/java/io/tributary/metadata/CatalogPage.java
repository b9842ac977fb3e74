package io.tributary.metadata;

import java.util.List;

/** One page of a catalogue listing: the items, and where they sit in the whole. */
public record CatalogPage<T>(List<T> items, int page, int size, long totalItems, int totalPages) {
}
