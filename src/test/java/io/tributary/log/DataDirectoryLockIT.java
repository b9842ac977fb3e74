package io.tributary.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The data directory's lock, seen from another process. */
class DataDirectoryLockIT {

    @TempDir
    Path tmp;

    private String probe(Path dataDir) throws IOException, InterruptedException {
        Process child = ChildJvm.start(tmp.resolve("probe"), LockProbe.class, dataDir.toString());
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    /**
     * A refused second manager must not open (and close) a channel on the lock file: on POSIX that
     * close drops the lock this process holds, and another process could then open the directory.
     */
    @Test
    void anotherProcessCannotOpenTheDirectoryEvenAfterASecondManagerHereWasRefused() throws Exception {
        Path dataDir = Files.createDirectories(tmp.resolve("data"));
        LogManager owner = new LogManager(LogManagerConfig.of(dataDir, FlushPolicy.NONE), topic -> LogConfig.defaults(),
                new MockTime());
        owner.startup();
        try {
            LogManager second = new LogManager(LogManagerConfig.of(dataDir, FlushPolicy.NONE),
                    topic -> LogConfig.defaults(), new MockTime());
            assertThatThrownBy(second::startup).isInstanceOf(IllegalStateException.class);

            assertThat(probe(dataDir)).isEqualTo("REFUSED");
        } finally {
            owner.close();
        }
        assertThat(probe(dataDir)).isEqualTo("OPENED");
    }
}
