package io.orderhub.web;

import io.orderhub.observability.Correlation;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/** Gives every request a correlation id (X-Correlation-Id in and out; MDC correlationId while it runs). */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
public class CorrelationFilter extends OncePerRequestFilter {

    public static final String ATTRIBUTE = "orderhub.correlationId";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String id = Correlation.acceptOrCreate(request.getHeader(Correlation.HTTP_HEADER));
        request.setAttribute(ATTRIBUTE, id);
        response.setHeader(Correlation.HTTP_HEADER, id);
        MDC.put(Correlation.MDC_KEY, id);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(Correlation.MDC_KEY);
        }
    }
}
