package org.reactivetracking.observability;

import io.awspring.cloud.autoconfigure.AwsAsyncClientCustomizer;
import io.awspring.cloud.autoconfigure.core.AwsAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import io.awspring.cloud.autoconfigure.core.AwsConnectionDetails;
import io.awspring.cloud.autoconfigure.metrics.CloudWatchAsyncClientCustomizer;
import io.awspring.cloud.autoconfigure.metrics.CloudWatchProperties;
import io.awspring.cloud.autoconfigure.metrics.CloudWatchRegistryProperties;
import io.micrometer.cloudwatch2.CloudWatchConfig;
import io.micrometer.cloudwatch2.CloudWatchMeterRegistry;
import io.micrometer.core.instrument.Clock;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.properties.StepRegistryPropertiesConfigAdapter;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;

/**
 * The CloudWatch registry, exporting the meters {@link CloudWatchMeterFilter} lets through. It exists only where
 * {@code management.cloudwatch.metrics.export.namespace} is set (deploy/, not local runs), and that is decided when
 * the context starts, not by a condition: the images run with Spring's AOT processing, which decides conditions when
 * the image is built, and one image runs both with a namespace (ECS) and without (compose). So this bean is always
 * defined and is null (no registry) without a namespace, or where {@code spring.cloud.aws.cloudwatch.enabled} is
 * false; it replaces Spring Cloud AWS's {@code CloudWatchExportAutoConfiguration}, whose condition on the namespace
 * would be fixed at build time ({@link ReplacedAutoConfigurations} leaves it out). The client is configured as Spring
 * Cloud AWS configures its own (region, credentials, {@code spring.cloud.aws.cloudwatch.endpoint}, the
 * {@code CloudWatchAsyncClientCustomizer} beans) and is closed with the registry, after its last publish. Common tags
 * (service, environment) are set in each service's {@code management.metrics.tags}.
 */
@AutoConfiguration(after = { MetricsAutoConfiguration.class, AwsAutoConfiguration.class,
        SimpleMetricsExportAutoConfiguration.class }, before = CompositeMeterRegistryAutoConfiguration.class)
@ConditionalOnClass({ CloudWatchMeterRegistry.class, CloudWatchAsyncClient.class })
@EnableConfigurationProperties({ CloudWatchRegistryProperties.class, CloudWatchProperties.class })
public class CloudWatchMetricsAutoConfiguration {

    @Bean
    @Nullable CloudWatchMeterRegistry cloudWatchExport(CloudWatchRegistryProperties export,
            CloudWatchProperties client, AwsClientBuilderConfigurer configurer,
            ObjectProvider<AwsConnectionDetails> connectionDetails,
            ObjectProvider<CloudWatchAsyncClientCustomizer> customizers,
            ObjectProvider<AwsAsyncClientCustomizer> asyncCustomizers, Clock clock, Environment environment) {
        if (!StringUtils.hasText(export.getNamespace())
                || !environment.getProperty("spring.cloud.aws.cloudwatch.enabled", Boolean.class, true)) {
            return null;
        }
        CloudWatchAsyncClient cloudWatch = configurer.configureAsyncClient(CloudWatchAsyncClient.builder(), client,
                connectionDetails.getIfAvailable(), customizers.orderedStream(), asyncCustomizers.orderedStream())
                .build();
        CloudWatchMeterRegistry registry = new ClientClosingCloudWatchMeterRegistry(new Config(export), clock,
                cloudWatch);
        registry.config().meterFilter(new CloudWatchMeterFilter());
        return registry;
    }

    /** The registry that owns its client: closes it once its own close (and last publish) is done. */
    static final class ClientClosingCloudWatchMeterRegistry extends CloudWatchMeterRegistry {

        private final CloudWatchAsyncClient client;

        ClientClosingCloudWatchMeterRegistry(CloudWatchConfig config, Clock clock, CloudWatchAsyncClient client) {
            super(config, clock, client);
            this.client = client;
        }

        @Override
        public void close() {
            try {
                super.close();
            }
            finally {
                client.close();
            }
        }
    }

    /** {@code management.cloudwatch.metrics.export.*}: namespace, step, batch size, enabled, timeouts. */
    static final class Config extends StepRegistryPropertiesConfigAdapter<CloudWatchRegistryProperties>
            implements CloudWatchConfig {

        Config(CloudWatchRegistryProperties properties) {
            super(properties);
        }

        @Override
        public String namespace() {
            return get(CloudWatchRegistryProperties::getNamespace, CloudWatchConfig.super::namespace);
        }

        @Override
        public int batchSize() {
            return get(CloudWatchRegistryProperties::getBatchSize, CloudWatchConfig.super::batchSize);
        }
    }
}
