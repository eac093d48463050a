package org.reactivetracking.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The settings checked at start, given as the environment variables a container gets: the development admin key
 * (warned about locally, refused elsewhere) and the empty key prefix that adopts the reference architecture's
 * Redis layout.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupSettingsTests {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(TrackingProperties.class)
    @Import(DevelopmentAdminKey.class)
    static class Settings {
    }

    @Test
    void startsWithTheDevelopmentKeyLocallyAndWarnsNamingIt(CapturedOutput output) {
        runWith(Map.of("TRACKING_ADMIN_API_KEY", DevelopmentAdminKey.VALUE)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output).contains("WARN").contains("published development key '" + DevelopmentAdminKey.VALUE);
        });
        runWith(Map.of("TRACKING_ADMIN_API_KEY", DevelopmentAdminKey.VALUE, "ENVIRONMENT", "local"))
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void refusesToStartWithTheDevelopmentKeyInAnyOtherEnvironment() {
        runWith(Map.of("TRACKING_ADMIN_API_KEY", DevelopmentAdminKey.VALUE, "ENVIRONMENT", "prod")).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("TRACKING_ADMIN_API_KEY")
                    .hasMessageContaining("ENVIRONMENT='prod'");
        });
        runWith(Map.of("TRACKING_ADMIN_API_KEY", DevelopmentAdminKey.VALUE, "ENVIRONMENT", ""))
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void startsWithAKeyOfItsOwnAnywhereWithoutWarning(CapturedOutput output) {
        runWith(Map.of("TRACKING_ADMIN_API_KEY", "a-secret-of-our-own", "ENVIRONMENT", "prod")).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output).doesNotContain("development key");
        });
    }

    @Test
    void takesAnEmptyKeyPrefixForProgramsUnderTheirBareIds() {
        runWith(Map.of("TRACKING_ADMIN_API_KEY", "k", "TRACKING_PROGRAMS_KEY_PREFIX", "")).run(context ->
                assertThat(context.getBean(TrackingProperties.class).programs().keyPrefix()).isEmpty());
        runWith(Map.of("TRACKING_ADMIN_API_KEY", "k")).run(context ->
                assertThat(context.getBean(TrackingProperties.class).programs().keyPrefix()).isEqualTo("program:"));
    }

    @Test
    void refusesABlankKeyPrefixOrOneWithBracesNamingTheSetting() {
        for (String prefix : new String[] { " ", "p{x}:" }) {
            runWith(Map.of("TRACKING_ADMIN_API_KEY", "k", "TRACKING_PROGRAMS_KEY_PREFIX", prefix)).run(context -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).hasStackTraceContaining("tracking.programs.keyPrefix")
                        .hasStackTraceContaining("must be empty (programs under their bare ids)");
            });
        }
    }

    /** The settings from {@code env} as the process environment, and nothing else from it. */
    private static ApplicationContextRunner runWith(Map<String, String> env) {
        Map<String, Object> variables = new HashMap<>(env);
        return new ApplicationContextRunner().withUserConfiguration(Settings.class)
                .withInitializer(context -> context.getEnvironment().getPropertySources().replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
                                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables)));
    }
}
