package io.tributary.common;

import org.slf4j.spi.LoggingEventBuilder;

/**
 * Topic and partition as key-value pairs on a log event, so structured (JSON) logs carry them as
 * fields: {@code LogFields.of(LOG.atInfo(), tp).log("...")}. Plain-text logs are unchanged.
 */
public final class LogFields {

    public static final String TOPIC = "topic";
    public static final String PARTITION = "partition";

    private LogFields() {
    }

    public static LoggingEventBuilder of(LoggingEventBuilder event, TopicPartition tp) {
        return event.addKeyValue(TOPIC, tp.topic()).addKeyValue(PARTITION, tp.partition());
    }
}
