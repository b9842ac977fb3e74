package io.tributary.log.segment;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * How segment files are opened. The broker uses {@link #DEFAULT}; fault-injection tests supply
 * channels that fail on demand, to drive the I/O failure paths for real.
 */
@FunctionalInterface
public interface ChannelOpener {

    ChannelOpener DEFAULT = FileChannel::open;

    FileChannel open(Path path, OpenOption... options) throws IOException;
}
