package io.orderhub.console;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationDetailsSource;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Sign-in for the console, its REST API and Hawtio: user name and password hash from configuration, then for
 * operators and admins a TOTP code (form field {@code code}, or header {@code X-OrderHub-TOTP} for scripts using
 * HTTP Basic). A code signs in once: the same code cannot open a second session. Failures count towards the
 * {@link LoginThrottle}; an unknown user costs the same password check as a known one.
 */
@Component
public class ConsoleAuthentication implements AuthenticationProvider {

    private static final Logger log = LoggerFactory.getLogger(ConsoleAuthentication.class);
    public static final String VIEWER = "VIEWER";
    public static final String OPERATOR = "OPERATOR";
    public static final String ADMIN = "ADMIN";
    public static final String KITCHEN = "KITCHEN";
    public static final String TOTP_HEADER = "X-OrderHub-TOTP";

    private final Map<String, ConsoleProperties.User> users = new LinkedHashMap<>();
    private final PasswordEncoder passwords = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    private final String unknownUserHash;
    private final LoginThrottle throttle;
    private final ConsoleProperties properties;
    private final Clock clock;
    private final Map<String, Long> lastFormStep = new ConcurrentHashMap<>();

    public ConsoleAuthentication(ConsoleProperties properties, LoginThrottle throttle, Clock clock) {
        this.properties = properties;
        this.throttle = throttle;
        this.clock = clock;
        this.unknownUserHash = passwords.encode("no such user " + System.nanoTime());
        for (ConsoleProperties.User u : properties.usersOrNone()) {
            if (u.username() == null || u.passwordHash() == null || u.passwordHash().isBlank()) {
                log.warn("Console user without a name or password hash ignored");
                continue;
            }
            if (properties.mfa() && needsMfa(u) && (u.totpSecret() == null || u.totpSecret().isBlank())) {
                log.warn("Console user {} has role operator/admin but no TOTP secret: it cannot sign in", u.username());
            }
            users.put(u.username(), u);
        }
        if (users.isEmpty()) {
            log.warn("No console users configured (orderhub.console.users): the console cannot be signed in to");
        }
    }

    /** What a sign-in request carries besides name and password. */
    public record LoginDetails(String address, String code, boolean form) {
    }

    /** Reads the TOTP code and the caller's address from the request. */
    public static final class DetailsSource implements AuthenticationDetailsSource<HttpServletRequest, LoginDetails> {
        @Override
        public LoginDetails buildDetails(HttpServletRequest request) {
            String code = request.getParameter("code");
            boolean form = code != null && "POST".equals(request.getMethod());
            if (code == null) {
                code = request.getHeader(TOTP_HEADER);
            }
            return new LoginDetails(request.getRemoteAddr(), code == null ? null : code.trim(), form);
        }
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        String username = authentication.getName();
        String password = authentication.getCredentials() == null ? "" : authentication.getCredentials().toString();
        LoginDetails details = authentication.getDetails() instanceof LoginDetails d ? d
                : new LoginDetails("unknown", null, false);
        if (throttle.locked(username, details.address())) {
            throw new LockedException("Too many failed sign-ins; try again later");
        }
        ConsoleProperties.User user = users.get(username);
        boolean passwordOk = passwords.matches(password, user == null ? unknownUserHash : user.passwordHash());
        if (user == null || !passwordOk) {
            throw failed(username, details, "bad user or password");
        }
        if (properties.mfa() && needsMfa(user)) {
            if (user.totpSecret() == null || user.totpSecret().isBlank()) {
                throw failed(username, details, "no TOTP secret configured for an operator/admin");
            }
            long step = Totp.matchingStep(user.totpSecret(), details.code(), Instant.now(clock));
            if (step < 0) {
                throw failed(username, details, "missing or wrong TOTP code");
            }
            if (details.form()) {
                Long previous = lastFormStep.get(username);
                if (previous != null && step <= previous) {
                    throw failed(username, details, "TOTP code already used");
                }
                lastFormStep.put(username, step);
            }
        }
        throttle.succeeded(username);
        List<SimpleGrantedAuthority> authorities = roles(user).stream()
                .map(r -> new SimpleGrantedAuthority("ROLE_" + r)).toList();
        return UsernamePasswordAuthenticationToken.authenticated(username, null, authorities);
    }

    private AuthenticationException failed(String username, LoginDetails details, String why) {
        throttle.failed(username, details.address());
        log.warn("Console sign-in refused for '{}' from {}: {}", username, details.address(), why);
        return new BadCredentialsException("Sign-in failed");
    }

    /** A user's roles with what each implies: admin > operator > viewer; admin and operator also kitchen. */
    static List<String> roles(ConsoleProperties.User user) {
        List<String> out = new ArrayList<>();
        List<String> given = user.roles() == null ? List.of() : user.roles().stream()
                .map(r -> r.toUpperCase(Locale.ROOT)).toList();
        if (given.contains(ADMIN)) {
            out.add(ADMIN);
        }
        if (given.contains(ADMIN) || given.contains(OPERATOR)) {
            out.add(OPERATOR);
        }
        if (given.contains(ADMIN) || given.contains(OPERATOR) || given.contains(VIEWER)) {
            out.add(VIEWER);
        }
        // kitchen staff (a KDS tablet) see and bump tickets only; operators and admins may too
        if (given.contains(ADMIN) || given.contains(OPERATOR) || given.contains(KITCHEN)) {
            out.add(KITCHEN);
        }
        return out;
    }

    private static boolean needsMfa(ConsoleProperties.User user) {
        List<String> r = roles(user);
        return r.contains(OPERATOR) || r.contains(ADMIN);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
