package io.orderhub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
@EnableScheduling
public class OrderHubApplication {

    /** The JVM's setting for the size of the shared pool behind {@code CompletableFuture}'s async steps. */
    static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    public static void main(String[] args) {
        sharedPoolOnSmallMachines();
        SpringApplication.run(OrderHubApplication.class, args);
    }

    /**
     * On a machine with one or two cores the JVM's shared pool has a parallelism of one, and {@code CompletableFuture}
     * then runs every async step on a new thread. The JDK's HTTP client completes each {@code sendAsync} with such a
     * step, so every vendor call started and ended a thread: a profile at full load counted 264 new threads a second
     * on two cores. Two or more keeps the shared pool's threads. Set before anything touches the pool; an explicit
     * {@code -D} setting wins.
     */
    static void sharedPoolOnSmallMachines() {
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null && Runtime.getRuntime().availableProcessors() <= 2) {
            System.setProperty(COMMON_POOL_PARALLELISM, "2");
        }
    }
}
