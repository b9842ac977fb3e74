package io.tributary.log;

/** The contract, run against the in-memory reference log. */
class MemoryPartitionLogTest extends PartitionLogContractTest {

    @Override
    PartitionLog createLog(LogConfig config) {
        return new MemoryPartitionLog(TP, config, time);
    }
}
