package org.reactivetracking.programs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reactivetracking.kinesis.ProcessEnvironment;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** The key prefix as a container gets it: {@code PROGRAMS_KEY_PREFIX}, empty to adopt the reference's layout. */
class ProgramUpdaterPropertiesTests {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ProgramUpdaterProperties.class)
    static class Settings {
    }

    @Test
    void takesAnEmptyKeyPrefixForProgramsUnderTheirBareIds() {
        runWith(Map.of("PROGRAMS_KEY_PREFIX", "")).run(context ->
                assertThat(context.getBean(ProgramUpdaterProperties.class).keyPrefix()).isEmpty());
        runWith(Map.of()).run(context ->
                assertThat(context.getBean(ProgramUpdaterProperties.class).keyPrefix()).isEqualTo("program:"));
    }

    @Test
    void refusesABlankKeyPrefixOrOneWithBracesNamingTheSetting() {
        for (String prefix : new String[] { " ", "p{x}:" }) {
            runWith(Map.of("PROGRAMS_KEY_PREFIX", prefix)).run(context -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).hasStackTraceContaining("programs.key-prefix")
                        .hasStackTraceContaining("must be empty (programs under their bare ids)");
            });
        }
    }

    /** {@code env} as the whole process environment. */
    private static ApplicationContextRunner runWith(Map<String, String> env) {
        return new ApplicationContextRunner().withUserConfiguration(Settings.class)
                .withInitializer(ProcessEnvironment.only(env));
    }
}
