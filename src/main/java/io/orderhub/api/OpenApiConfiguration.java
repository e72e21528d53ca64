package io.orderhub.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    @Bean
    OpenAPI orderHubOpenApi() {
        return new OpenAPI()
                .info(new Info().title("OrderHub API").version("v1")
                        .description("Own-channel order intake, order queries and status changes. Errors are "
                                + "RFC 9457 problem details. Canonical order schema: /schemas/canonical-order-v1.json")
                        .license(new License().name("Apache-2.0")))
                .components(new Components().addSecuritySchemes("apiKey", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("ohk_<key id>_<secret>")
                        .description("A channel client's API key")));
    }
}
