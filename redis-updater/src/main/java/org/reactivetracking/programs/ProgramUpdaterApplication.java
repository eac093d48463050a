package org.reactivetracking.programs;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Applies the program updates of the Kinesis update stream to Redis and announces them. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ProgramUpdaterApplication {

    public static void main(String[] args) {
        SpringApplication.run(ProgramUpdaterApplication.class, args);
    }
}
