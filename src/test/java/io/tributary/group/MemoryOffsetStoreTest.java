package io.tributary.group;

/** The offset store contract against the in-memory store the coordinator tests use. */
class MemoryOffsetStoreTest extends OffsetStoreContract {

    private final MemoryOffsetStore store = new MemoryOffsetStore();

    @Override
    OffsetStore store() {
        return store;
    }

    @Override
    OffsetStore reopen() {
        return store;
    }
}
