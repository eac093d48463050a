package org.reactivetracking.tracking.publish;

import io.awspring.cloud.autoconfigure.AwsClientProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Kinesis client's endpoint and region, under the same {@code spring.cloud.aws.kinesis.*} properties the Kinesis
 * binder of the consumers reads, so one setting points every service at the same engine.
 */
@ConfigurationProperties("spring.cloud.aws.kinesis")
public class KinesisClientProperties extends AwsClientProperties {
}
