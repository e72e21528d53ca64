package io.orderhub.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.ProblemDetail;

/** RFC 9457 problem details written straight to a servlet response, for filters that answer before MVC. */
public final class ProblemResponses {

    public static final String TYPE_BASE = "https://orderhub.io/problems/";

    private ProblemResponses() {
    }

    public static ProblemDetail problem(int status, String type, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(org.springframework.http.HttpStatusCode.valueOf(status),
                detail);
        p.setType(URI.create(TYPE_BASE + type));
        return p;
    }

    public static void write(HttpServletResponse response, int status, String type, String detail) throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        String body = "{\"type\":\"" + TYPE_BASE + type + "\",\"title\":\""
                + org.springframework.http.HttpStatus.valueOf(status).getReasonPhrase() + "\",\"status\":" + status
                + ",\"detail\":\"" + detail.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        response.getOutputStream().write(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
