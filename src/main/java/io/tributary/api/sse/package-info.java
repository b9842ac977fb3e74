/**
 * Server-Sent Events: {@code GET /api/v1/topics/{topic}/events} streams every partition of a topic,
 * one record per event, each event's id naming the position reached in every partition, so a
 * client that reconnects with {@code Last-Event-ID} resumes with no gap and no duplicate.
 */
package io.tributary.api.sse;
