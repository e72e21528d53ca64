package io.orderhub.web;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.orderhub.HubProperties;
import io.orderhub.database.GroupCommitDataSource;
import io.orderhub.database.H2IndexRepair;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.apache.camel.LoggingLevel;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;

/** Shared infrastructure beans: clock, JSON limits, retries, the data source's wrapping, the JDBC template. */
@Configuration(proxyBeanMethods = false)
public class HubConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * One ObjectMapper for the API and the pipeline: no default typing, unknown fields refused in requests,
     * nesting depth and string length capped against hostile input.
     */
    @Bean
    Jackson2ObjectMapperBuilderCustomizer jsonLimits(HubProperties hub) {
        return builder -> builder
                .featuresToDisable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .featuresToEnable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                        DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .postConfigurer(mapper -> mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(hub.api().maxJsonDepth())
                        .maxStringLength((int) hub.api().maxBodySize().toBytes())
                        .maxNumberLength(40)
                        .build()));
    }

    /**
     * In-process retries for blips, used by routes/error-policy.yaml: exponential backoff with jitter. Longer
     * outages are the broker's job (redelivery that survives restarts).
     */
    @Bean
    RedeliveryPolicy inProcessRetries(HubProperties hub) {
        return new RedeliveryPolicy()
                .maximumRedeliveries(hub.reliability().inProcessRetries())
                .redeliveryDelay(hub.reliability().inProcessDelayMs())
                .useExponentialBackOff().backOffMultiplier(2)
                .useCollisionAvoidance().collisionAvoidancePercent(25)
                .retryAttemptedLogLevel(LoggingLevel.WARN)
                .logStackTrace(false).logRetryStackTrace(false);
    }

    /**
     * The pool's connections are taken at a transaction's first statement, not at its start: a stage delivery runs
     * in one transaction (StageDelivery), and its vendor call comes before its first write, so no pooled
     * connection waits on a vendor.
     */
    @Bean
    static BeanPostProcessor lazyConnections() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if ("dataSource".equals(name) && bean instanceof DataSource pool
                        && !(bean instanceof LazyConnectionDataSourceProxy)) {
                    // an embedded H2 file written in the background: commits wait for a shared write (GroupCommit)
                    return new LazyConnectionDataSourceProxy(GroupCommitDataSource.wrapIfNeeded(pool));
                }
                return bean;
            }
        };
    }

    /** Rebuilds an index of the embedded H2 file that lost a row after a kill (docs/reliability.md). */
    @Bean(destroyMethod = "close")
    H2IndexRepair h2IndexRepair(DataSource dataSource, Clock clock, MeterRegistry meters,
                                @Value("${orderhub.database.index-repair-interval:10m}") java.time.Duration interval) {
        return new H2IndexRepair(dataSource, interval, clock, meters);
    }

    /** Spring Boot's template, with the index repair watching its failures (Boot backs off for this bean). */
    @Bean
    JdbcTemplate jdbcTemplate(DataSource dataSource, H2IndexRepair repair) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.setExceptionTranslator(repair.watching(jdbc.getExceptionTranslator()));
        return jdbc;
    }
}
