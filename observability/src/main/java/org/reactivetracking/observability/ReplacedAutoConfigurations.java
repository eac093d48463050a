package org.reactivetracking.observability;

import java.util.Set;
import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;

/**
 * Leaves out the auto-configurations this module replaces, wherever it is on the classpath (not in each service's
 * settings, which an operator's {@code SPRING_AUTOCONFIGURE_EXCLUDE} would override): Spring Cloud AWS's CloudWatch
 * export, whose registry would sit beside {@link CloudWatchMetricsAutoConfiguration}'s.
 */
public class ReplacedAutoConfigurations implements AutoConfigurationImportFilter {

    static final Set<String> REPLACED = Set.of("io.awspring.cloud.autoconfigure.metrics.CloudWatchExportAutoConfiguration");

    @Override
    public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
        boolean[] matches = new boolean[autoConfigurationClasses.length];
        for (int i = 0; i < autoConfigurationClasses.length; i++) {
            matches[i] = autoConfigurationClasses[i] == null || !REPLACED.contains(autoConfigurationClasses[i]);
        }
        return matches;
    }
}
