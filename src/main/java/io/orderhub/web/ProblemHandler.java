package io.orderhub.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.orderhub.order.OrderLifecycle;
import jakarta.validation.ConstraintViolation;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error of the API as RFC 9457 problem details: a type, a human sentence, and for bad input the field
 * errors. Bad input is a 4xx, never a 500; an unexpected fault is a 500 without a stack trace.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    /** A client-side problem with a status, a type slug and a sentence. */
    public static class ApiProblem extends RuntimeException {
        private final int status;
        private final String type;
        private final transient Map<String, Object> extra;

        public ApiProblem(int status, String type, String detail) {
            this(status, type, detail, Map.of());
        }

        public ApiProblem(int status, String type, String detail, Map<String, Object> extra) {
            super(detail);
            this.status = status;
            this.type = type;
            this.extra = extra;
        }
    }

    public static ApiProblem invalid(List<? extends ConstraintViolation<?>> violations) {
        List<Map<String, String>> errors = violations.stream()
                .map(v -> Map.of("field", v.getPropertyPath().toString(), "message", v.getMessage()))
                .sorted((a, b) -> a.get("field").compareTo(b.get("field"))).toList();
        return new ApiProblem(400, "invalid-order", errors.size() + " field(s) are invalid", Map.of("errors", errors));
    }

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> api(ApiProblem p) {
        ProblemDetail body = ProblemResponses.problem(p.status, p.type, p.getMessage());
        p.extra.forEach(body::setProperty);
        return ResponseEntity.status(p.status).body(body);
    }

    @ExceptionHandler(JsonProcessingException.class)
    ResponseEntity<ProblemDetail> json(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            return ResponseEntity.badRequest().body(ProblemResponses.problem(400, "json-too-complex",
                    "The JSON breaks a limit: " + e.getOriginalMessage()));
        }
        String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ")";
        return ResponseEntity.badRequest().body(ProblemResponses.problem(400, "malformed-json",
                "The body is not a valid order: " + e.getOriginalMessage() + where));
    }

    @ExceptionHandler(OrderLifecycle.IllegalTransition.class)
    ResponseEntity<ProblemDetail> transition(OrderLifecycle.IllegalTransition e) {
        return ResponseEntity.status(409).body(ProblemResponses.problem(409, "illegal-transition", e.getMessage()));
    }

    @ExceptionHandler(OrderLifecycle.OrderNotFound.class)
    ResponseEntity<ProblemDetail> notFound(OrderLifecycle.OrderNotFound e) {
        return ResponseEntity.status(404).body(ProblemResponses.problem(404, "not-found", e.getMessage()));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (causedBy(e, BodyLimitFilter.BodyTooLarge.class)) {
            return ResponseEntity.status(413).body(ProblemResponses.problem(413, "payload-too-large",
                    e.getMessage() == null ? "request body too large" : rootMessage(e)));
        }
        log.error("Unexpected failure answering an API request", e);
        return ResponseEntity.status(500).body(ProblemResponses.problem(500, "internal",
                "The hub could not complete this request; it is logged with this request's correlation id."));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        if (causedBy(ex, BodyLimitFilter.BodyTooLarge.class)) {
            return ResponseEntity.status(413).body(ProblemResponses.problem(413, "payload-too-large", rootMessage(ex)));
        }
        return ResponseEntity.badRequest().body(ProblemResponses.problem(400, "malformed-json",
                "The body could not be read: " + rootMessage(ex)));
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage();
    }
}
