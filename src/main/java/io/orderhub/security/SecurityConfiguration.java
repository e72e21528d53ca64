package io.orderhub.security;

import io.orderhub.web.ProblemResponses;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * Who may call what. The own-channel API takes channel-client API keys, statelessly; health, metrics, the
 * published schema and the OpenAPI document are open; vendor webhooks carry signatures the adapter kit verifies; everything else needs a login (the console, later).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    /**
     * The operator console, its REST API ({@code /api/v1/admin}) and Hawtio: a session after a form sign-in (with a
     * TOTP code for operators and admins), or HTTP Basic plus header X-OrderHub-TOTP for scripts. Roles: viewer
     * reads, operator acts on dead letters, admin also reaches Hawtio. CSRF tokens in a cookie the page echoes.
     */
    @Bean
    @Order(0)
    SecurityFilterChain consoleChain(HttpSecurity http, io.orderhub.console.ConsoleAuthentication authentication,
                                     io.orderhub.console.LoginThrottle throttle) throws Exception {
        var details = new io.orderhub.console.ConsoleAuthentication.DetailsSource();
        var csrfHandler = new org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler();
        // the page reads the token from the cookie and sends it back as it is (no per-request masking)
        csrfHandler.setCsrfRequestAttributeName(null);
        var apiEntry = (org.springframework.security.web.AuthenticationEntryPoint) (req, res, ex) -> {
            res.setHeader("WWW-Authenticate", "OrderHub-Login realm=\"console\"");
            ProblemResponses.write(res, 401, "unauthenticated",
                    "Sign in to the console, or send HTTP Basic credentials with header X-OrderHub-TOTP.");
        };
        // Jolokia is its own servlet (not Spring MVC): matched by path, not by MVC mapping
        var jolokia = org.springframework.security.web.util.matcher.AntPathRequestMatcher
                .antMatcher("/actuator/jolokia/**");
        http.securityMatcher(new org.springframework.security.web.util.matcher.OrRequestMatcher(jolokia,
                        org.springframework.security.web.util.matcher.AntPathRequestMatcher.antMatcher(
                                "/api/v1/admin/**"),
                        org.springframework.security.web.util.matcher.AntPathRequestMatcher.antMatcher("/console/**"),
                        org.springframework.security.web.util.matcher.AntPathRequestMatcher.antMatcher("/kds/**"),
                        org.springframework.security.web.util.matcher.AntPathRequestMatcher.antMatcher(
                                "/api/v1/kds/**"),
                        org.springframework.security.web.util.matcher.AntPathRequestMatcher.antMatcher("/login"),
                        org.springframework.security.web.util.matcher.AntPathRequestMatcher.antMatcher("/logout"),
                        org.springframework.security.web.util.matcher.AntPathRequestMatcher.antMatcher(
                                "/actuator/hawtio/**"),
                        org.springframework.security.web.util.matcher.AntPathRequestMatcher.antMatcher("/")))
                .authenticationProvider(authentication)
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/console/login.html", "/console/console.css", "/console/console.js",
                                "/api/v1/admin/csrf")
                        .permitAll()
                        .requestMatchers(jolokia).hasRole("ADMIN")
                        // kitchen screens: kitchen staff (and operators, admins) see and bump; viewers only see
                        .requestMatchers(org.springframework.http.HttpMethod.GET, "/kds/**", "/api/v1/kds/**")
                        .hasAnyRole("KITCHEN", "VIEWER")
                        .requestMatchers("/api/v1/kds/**").hasRole("KITCHEN")
                        .requestMatchers("/actuator/hawtio/**").hasRole("ADMIN")
                        .requestMatchers(org.springframework.http.HttpMethod.GET, "/api/v1/admin/**", "/console/**", "/")
                        .hasRole("VIEWER")
                        .requestMatchers("/api/v1/admin/dead-letters/**", "/api/v1/admin/replay-jobs/**")
                        .hasRole("OPERATOR")
                        .anyRequest().hasRole("ADMIN"))
                .formLogin(f -> f.loginPage("/console/login.html").loginProcessingUrl("/login")
                        .authenticationDetailsSource(details)
                        .defaultSuccessUrl("/console/", false)
                        .failureHandler((req, res, ex) -> res.sendRedirect("/console/login.html?"
                                + (ex instanceof org.springframework.security.authentication.LockedException
                                ? "locked" : "error")))
                        .permitAll())
                .httpBasic(b -> b.authenticationDetailsSource(details).authenticationEntryPoint(apiEntry))
                .logout(l -> l.logoutUrl("/logout").logoutSuccessUrl("/console/login.html?logout")
                        .deleteCookies("JSESSIONID"))
                .csrf(c -> c.csrfTokenRepository(org.springframework.security.web.csrf.CookieCsrfTokenRepository
                                .withHttpOnlyFalse())
                        .csrfTokenRequestHandler(csrfHandler)
                        // scripts with HTTP Basic carry no session cookie a third-party page could ride on; Hawtio's
                        // Jolokia calls rely on the SameSite=Strict session cookie instead
                        .ignoringRequestMatchers(req -> {
                            String auth = req.getHeader("Authorization");
                            return auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6);
                        }, req -> req.getRequestURI().startsWith("/actuator/jolokia")))
                // after sign-in, back to the page asked for (a KDS screen), never to an API URL
                .requestCache(c -> {
                    var cache = new org.springframework.security.web.savedrequest.HttpSessionRequestCache();
                    cache.setRequestMatcher(new org.springframework.security.web.util.matcher.OrRequestMatcher(
                            org.springframework.security.web.util.matcher.AntPathRequestMatcher.antMatcher(
                                    org.springframework.http.HttpMethod.GET, "/kds/**"),
                            org.springframework.security.web.util.matcher.AntPathRequestMatcher.antMatcher(
                                    org.springframework.http.HttpMethod.GET, "/console/**")));
                    c.requestCache(cache);
                })
                .sessionManagement(s -> s.sessionFixation(f -> f.changeSessionId()))
                .exceptionHandling(e -> e
                        .defaultAuthenticationEntryPointFor(apiEntry, req -> req.getRequestURI().startsWith("/api/"))
                        .defaultAuthenticationEntryPointFor(
                                new org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint(
                                        "/console/login.html"), req -> true)
                        .accessDeniedHandler((req, res, ex) -> ProblemResponses.write(res, 403, "forbidden",
                                "Your role may not do that.")));
        return http.build();
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiChain(HttpSecurity http, ApiClientStore clients) throws Exception {
        http.securityMatcher("/api/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(new ApiKeyAuthenticationFilter(clients), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a.anyRequest().hasAuthority(ApiKeyAuthenticationFilter.CHANNEL_CLIENT))
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((req, res, ex) -> {
                            res.setHeader("WWW-Authenticate", "Bearer");
                            ProblemResponses.write(res, 401, "unauthenticated",
                                    "Send the channel client's API key as 'Authorization: Bearer ohk_...'.");
                        })
                        .accessDeniedHandler((req, res, ex) -> ProblemResponses.write(res, 403, "forbidden",
                                "This credential may not do that.")))
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable());
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain publicChain(HttpSecurity http) throws Exception {
        http.securityMatcher("/actuator/health/**", "/actuator/health", "/actuator/info", "/actuator/prometheus",
                        "/schemas/**", "/v3/api-docs/**", "/v3/api-docs", "/swagger-ui/**", "/swagger-ui.html",
                        "/error",
                        // vendor webhooks authenticate by their signature, checked against the adapter's scheme
                        "/webhooks/**")
                .csrf(csrf -> csrf.disable())
                .authorizeHttpRequests(a -> a.anyRequest().permitAll());
        return http.build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain everythingElse(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(a -> a.anyRequest().denyAll());
        return http.build();
    }
}
