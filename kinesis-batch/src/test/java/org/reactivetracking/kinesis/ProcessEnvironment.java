package org.reactivetracking.kinesis;

import java.util.HashMap;
import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** For the consumers' settings tests: variables bound as a container's environment would be. */
public final class ProcessEnvironment {

    private ProcessEnvironment() {
    }

    /** @return an initializer that makes {@code env} the context's whole process environment */
    public static ApplicationContextInitializer<ConfigurableApplicationContext> only(Map<String, String> env) {
        Map<String, Object> variables = new HashMap<>(env);
        return context -> context.getEnvironment().getPropertySources().replace(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
    }
}
