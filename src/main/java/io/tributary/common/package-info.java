/**
 * Small types every layer shares: {@link io.tributary.common.TopicPartition}, the clock, topic-name
 * rules, and the one enum of stable error codes with the exceptions that carry them. Depends on
 * nothing but the JDK.
 */
package io.tributary.common;
