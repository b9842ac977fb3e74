package io.tributary.api.rest;

import io.tributary.common.ErrorCode;
import io.tributary.common.OffsetOutOfRangeException;
import io.tributary.common.TributaryException;
import jakarta.validation.ConstraintViolationException;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;

import java.net.URI;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders every failure as an RFC 9457 problem detail with the stable {@code code} clients match on
 * and whether they may {@code retriable}-ly send the request again.
 */
@RestControllerAdvice
public class ApiExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(TributaryException.class)
    ResponseEntity<ProblemDetail> tributary(TributaryException e) {
        ProblemDetail problem = problem(e.code(), e.getMessage());
        if (e instanceof OffsetOutOfRangeException range) {
            problem.setProperty("logStartOffset", range.logStartOffset());
            problem.setProperty("logEndOffset", range.logEndOffset());
        }
        return respond(problem);
    }

    @ExceptionHandler(WebExchangeBindException.class)
    ResponseEntity<ProblemDetail> invalidBody(WebExchangeBindException e) {
        String detail = e.getFieldErrors().stream()
                .map(f -> f.getField() + ": " + f.getDefaultMessage())
                .reduce((a, b) -> a + "; " + b)
                .orElse("The request is invalid");
        return respond(problem(ErrorCode.INVALID_REQUEST, detail));
    }

    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<ProblemDetail> unreadable(ServerWebInputException e) {
        if (causedBy(e, DataBufferLimitException.class)) {
            return respond(problem(ErrorCode.REQUEST_TOO_LARGE, "The request body exceeds the size limit"));
        }
        String reason = e.getReason() == null ? "The request could not be read" : e.getReason();
        Throwable cause = e.getMostSpecificCause();
        if (cause instanceof DecodingException || cause != e) {
            reason = reason + ": " + firstLine(cause.getMessage());
        }
        return respond(problem(ErrorCode.INVALID_REQUEST, reason));
    }

    @ExceptionHandler(DataBufferLimitException.class)
    ResponseEntity<ProblemDetail> tooLarge(DataBufferLimitException e) {
        return respond(problem(ErrorCode.REQUEST_TOO_LARGE, "The request body exceeds the size limit"));
    }

    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<ProblemDetail> status(ResponseStatusException e) {
        HttpStatusCode status = e.getStatusCode();
        ErrorCode code = status.value() == HttpStatus.CONTENT_TOO_LARGE.value() ? ErrorCode.REQUEST_TOO_LARGE
                : status.is5xxServerError() ? ErrorCode.UNKNOWN_SERVER_ERROR : ErrorCode.INVALID_REQUEST;
        String detail = code == ErrorCode.REQUEST_TOO_LARGE ? "The request body exceeds the size limit"
                : e.getReason() == null ? status.toString() : e.getReason();
        ProblemDetail problem = problem(code, detail);
        problem.setStatus(status.value());
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> invalidParameter(ConstraintViolationException e) {
        String detail = e.getConstraintViolations().stream()
                .map(v -> lastNode(v.getPropertyPath().toString()) + ": " + v.getMessage())
                .sorted()
                .reduce((a, b) -> a + "; " + b)
                .orElse("The request is invalid");
        return respond(problem(ErrorCode.INVALID_REQUEST, detail));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        LOG.error("Unexpected failure serving a request", e);
        return respond(problem(ErrorCode.UNKNOWN_SERVER_ERROR, "An unexpected error occurred: " + e.getClass().getSimpleName()));
    }

    /** The problem detail for a code: the same shape on every transport. */
    public static ProblemDetail problem(ErrorCode code, String detail) {
        HttpStatus status = ErrorStatus.of(code);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("urn:tributary:error:" + code.name().toLowerCase(Locale.ROOT).replace('_', '-')));
        problem.setTitle(title(code));
        problem.setProperty("code", code.name());
        problem.setProperty("retriable", code.retriable());
        return problem;
    }

    /** Always as application/problem+json, whatever the request accepts (an event stream, NDJSON). */
    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static String title(ErrorCode code) {
        String words = code.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String lastNode(String propertyPath) {
        return propertyPath.substring(propertyPath.lastIndexOf('.') + 1);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
