package org.reactivetracking.tracking.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * The server's event loops and the HTTP client's connection pool belong to this application context, not to the
 * JVM-global Reactor Netty resources that Spring Boot uses by default. A context that stops disposes the global
 * resources, whoever else runs on them: with several contexts in one JVM (the tests), closing one left another's
 * requests waiting for ever. Stopping this context still disposes its own.
 */
@Configuration(proxyBeanMethods = false)
class NettyResourcesConfiguration {

    @Bean
    ReactorResourceFactory reactorResourceFactory() {
        ReactorResourceFactory resources = new ReactorResourceFactory();
        resources.setUseGlobalResources(false);
        return resources;
    }
}
