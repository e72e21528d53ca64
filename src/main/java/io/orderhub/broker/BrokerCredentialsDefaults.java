package io.orderhub.broker;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * When no broker password is configured, the embedded broker (reachable in-VM only) gets a random one for this
 * process, so no password ever lives in the repository. Opening a TCP acceptor demands a configured password.
 */
public class BrokerCredentialsDefaults implements EnvironmentPostProcessor {

    static final String GENERATED_PREFIX = "generated-";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String password = environment.getProperty("spring.artemis.password");
        if (password == null || password.isBlank()) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            environment.getPropertySources().addFirst(new MapPropertySource("orderhub-broker-credentials",
                    Map.of("spring.artemis.password", GENERATED_PREFIX + HexFormat.of().formatHex(random))));
        }
    }

    static boolean isGenerated(String password) {
        return password == null || password.startsWith(GENERATED_PREFIX);
    }
}
