package io.orderhub.console;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The console's addresses ({@code /}, {@code /console}: static/console/index.html) and the KDS ({@code /kds}). */
@Configuration(proxyBeanMethods = false)
public class ConsolePages implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/", "/console/");
        registry.addRedirectViewController("/console", "/console/");
        registry.addViewController("/console/").setViewName("forward:/console/index.html");
        // kitchen screens: /kds/?location=brooklyn&station=grill (station "expo": the whole order, read only)
        registry.addRedirectViewController("/kds", "/kds/");
        registry.addViewController("/kds/").setViewName("forward:/kds/index.html");
    }
}
