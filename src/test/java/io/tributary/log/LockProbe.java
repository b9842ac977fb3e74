package io.tributary.log;

import io.tributary.common.Time;

import java.nio.file.Path;

/**
 * A child process that tries to open a data directory and prints {@code OPENED} or
 * {@code REFUSED}. It exits without closing the manager, so it writes nothing to the directory
 * beyond what startup does.
 */
public final class LockProbe {

    private LockProbe() {
    }

    public static void main(String[] args) {
        LogManager manager = new LogManager(LogManagerConfig.of(Path.of(args[0]), FlushPolicy.NONE),
                topic -> LogConfig.defaults(), Time.SYSTEM);
        try {
            manager.startup();
            System.out.println("OPENED");
        } catch (IllegalStateException e) {
            System.out.println("REFUSED");
        }
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
