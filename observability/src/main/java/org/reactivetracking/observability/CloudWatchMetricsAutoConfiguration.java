package org.reactivetracking.observability;

import io.micrometer.cloudwatch2.CloudWatchMeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Applies {@link CloudWatchMeterFilter} to the CloudWatch registry only. The registry itself comes from Spring
 * Cloud AWS and is on only when {@code management.cloudwatch.metrics.export.namespace} is set (in deploy/, not in
 * local runs). Common tags (service, environment) are set in each service's {@code management.metrics.tags}.
 */
@AutoConfiguration
@ConditionalOnClass(CloudWatchMeterRegistry.class)
public class CloudWatchMetricsAutoConfiguration {

    @Bean
    MeterRegistryCustomizer<CloudWatchMeterRegistry> exportOnlyWhatOperatorsNeed() {
        return registry -> registry.config().meterFilter(new CloudWatchMeterFilter());
    }
}
