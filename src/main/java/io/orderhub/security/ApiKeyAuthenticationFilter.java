package io.orderhub.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates channel clients by {@code Authorization: Bearer ohk_...}. An absent or wrong key leaves the request
 * anonymous, and the security chain answers 401; the key itself never reaches a log.
 */
public class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    public static final String CHANNEL_CLIENT = "CHANNEL_CLIENT";

    private final ApiClientStore clients;

    public ApiKeyAuthenticationFilter(ApiClientStore clients) {
        this.clients = clients;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ApiKeys.parse(header.substring(7))
                    .flatMap(key -> clients.findByKeyId(key.keyId())
                            .filter(ApiClient::enabled)
                            .filter(client -> ApiKeys.matches(key.secret(), client.keyHash())))
                    .ifPresent(client -> SecurityContextHolder.getContext().setAuthentication(
                            UsernamePasswordAuthenticationToken.authenticated(client, null,
                                    List.of(new SimpleGrantedAuthority(CHANNEL_CLIENT)))));
        }
        chain.doFilter(request, response);
    }
}
