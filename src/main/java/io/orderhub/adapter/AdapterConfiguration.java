package io.orderhub.adapter;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.menu.MenuCatalog;
import io.orderhub.signature.SignatureSchemes;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The adapter kit's beans: the registry of adapters found under {@code $ORDERHUB_HOME/adapters}. */
@Configuration(proxyBeanMethods = false)
public class AdapterConfiguration {

    @Bean(destroyMethod = "close")
    AdapterRegistry adapterRegistry(@Value("${orderhub.home}") String home,
                                    @Value("${orderhub.sandbox.enabled:false}") boolean sandbox,
                                    Environment environment, ObjectMapper json, MenuCatalog menus, Clock clock,
                                    SignatureSchemes schemes, io.micrometer.core.instrument.MeterRegistry meters,
                                    VendorOrderRefs refs) {
        return new AdapterRegistry(Path.of(home).resolve("adapters"), environment, json, menus, clock, schemes, sandbox,
                new VendorResilience.Factory(environment, meters, clock), refs);
    }
}
