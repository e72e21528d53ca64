package io.orderhub.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Hides every inbound header whose name starts with "camel" in any case (CVE-2026-40453: case variants such as
 * {@code CAmelJmsDestinationName} slip past Camel's own filter). No route ever sees them.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class CamelHeaderFilter extends OncePerRequestFilter {

    static final Pattern CAMEL = Pattern.compile("(?i)^camel.*");

    public static boolean isCamelHeader(String name) {
        return name != null && CAMEL.matcher(name).matches();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public String getHeader(String name) {
                return isCamelHeader(name) ? null : super.getHeader(name);
            }

            @Override
            public Enumeration<String> getHeaders(String name) {
                return isCamelHeader(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
            }

            @Override
            public Enumeration<String> getHeaderNames() {
                return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                        .filter(n -> !isCamelHeader(n)).toList());
            }
        }, response);
    }
}
