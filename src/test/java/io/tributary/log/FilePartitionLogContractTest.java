package io.tributary.log;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

/**
 * The contract, run against the file log with tiny segments (every couple of batches rolls), so
 * each operation also crosses segment boundaries.
 */
class FilePartitionLogContractTest extends PartitionLogContractTest {

    @TempDir
    Path dir;
    private int instance;

    @Override
    PartitionLog createLog(LogConfig config) {
        LogConfig small = config.withOverrides(Map.of(LogConfig.SEGMENT_BYTES, "300", LogConfig.INDEX_INTERVAL_BYTES, "1"));
        LogEnvironment env = new LogEnvironment(time, new IoFailureGate(dir), FlushPolicy.NONE, null, null);
        return FilePartitionLog.open(TP, dir.resolve("log-" + instance++).resolve(TP.toString()), small, 0, true, env);
    }
}
