package io.orderhub.web;

import jakarta.servlet.http.HttpServletResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import java.net.URI;
import org.springframework.http.ProblemDetail;

/** RFC 9457 problem details written straight to a servlet response, for filters that answer before MVC. */
public final class ProblemResponses {

    public static final String TYPE_BASE = "https://orderhub.io/problems/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemResponses() {
    }

    public static ProblemDetail problem(int status, String type, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(org.springframework.http.HttpStatusCode.valueOf(status),
                detail);
        p.setType(URI.create(TYPE_BASE + type));
        return p;
    }

    /** Writes the problem as JSON (escaped by Jackson, whatever the detail holds). */
    public static void write(HttpServletResponse response, int status, String type, String detail) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_BASE + type);
        body.put("title", HttpStatus.valueOf(status).getReasonPhrase());
        body.put("status", status);
        body.put("detail", detail);
        response.setStatus(status);
        response.setContentType("application/problem+json");
        JSON.writeValue(response.getOutputStream(), body);
    }
}
