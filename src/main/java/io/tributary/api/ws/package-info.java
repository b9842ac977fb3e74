/**
 * The WebSocket front: {@code /ws/v1/consume} streams records as JSON frames from a
 * {@link io.tributary.service.ConsumeSession} (live, never above the high watermark, paced by the
 * socket's backpressure or by client credit; seek, pause and resume; with {@code group=} the socket
 * is a consumer-group member, see {@link io.tributary.api.ws.GroupMembership}, relayed to the group's
 * coordinator by {@link io.tributary.api.ws.CoordinatorRelay} when that is another broker), and {@code /ws/v1/produce}
 * takes pipelined produce frames and answers each with an ack or an error, in order. Errors are
 * {@code error} frames with the stable {@link io.tributary.common.ErrorCode} names; see
 * {@link io.tributary.api.ws.ErrorFrames} for which close follows.
 */
package io.tributary.api.ws;
