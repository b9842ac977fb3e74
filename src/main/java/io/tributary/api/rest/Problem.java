package io.tributary.api.rest;

import io.swagger.v3.oas.annotations.media.Schema;
import io.tributary.common.ErrorCode;

import java.net.URI;

/**
 * The shape of an error response, for the API documentation only: responses themselves are built by
 * {@link ApiExceptionHandler#problem}. Spring's {@code ProblemDetail} keeps {@code code} and
 * {@code retriable} in a map that it writes flat, which a generated schema cannot show, so the schema
 * is spelled out here. {@code OpenApiDocumentationIT} checks it against a real error response.
 */
@Schema(name = "Problem", description = "An RFC 9457 problem detail with Tributary's stable error code")
public record Problem(
        @Schema(description = "urn:tributary:error: and the code in kebab case",
                example = "urn:tributary:error:topic-not-found") URI type,
        @Schema(description = "The code in words", example = "Topic not found") String title,
        @Schema(description = "The HTTP status", example = "404") int status,
        @Schema(description = "What went wrong with this request", example = "Topic 'orders' does not exist") String detail,
        @Schema(description = "The request path", example = "/api/v1/topics/orders") URI instance,
        @Schema(description = "Stable error code; clients match on it", example = "TOPIC_NOT_FOUND") ErrorCode code,
        @Schema(description = "Whether the same request may succeed if sent again later", example = "false")
        boolean retriable,
        @Schema(description = "OFFSET_OUT_OF_RANGE only: the first offset in the log", example = "0")
        Long logStartOffset,
        @Schema(description = "OFFSET_OUT_OF_RANGE only: the offset after the last readable record", example = "42")
        Long logEndOffset) {
}
