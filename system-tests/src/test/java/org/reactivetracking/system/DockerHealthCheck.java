package org.reactivetracking.system;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile's {@code HEALTHCHECK}, as Docker runs it.
 *
 * @param command     the command; the shell form runs through {@code sh -c}, as Docker runs it
 * @param timeout     how long one check may run before it counts as failed
 * @param startPeriod how long after the start failed checks do not count
 */
record DockerHealthCheck(List<String> command, Duration interval, Duration timeout, Duration startPeriod,
        int retries) {

    private static final Pattern OPTION = Pattern.compile("--([a-z-]+)=(\\S+)\\s+");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    /** How long Docker lets a container get healthy: the start period, then {@code retries} failed checks. */
    Duration bound() {
        return startPeriod.plus(interval.multipliedBy(retries));
    }

    /** The arguments of a {@code HEALTHCHECK} instruction: options, then {@code CMD} and the command. */
    static DockerHealthCheck parse(String arguments) {
        // Docker's defaults
        Duration interval = Duration.ofSeconds(30);
        Duration timeout = Duration.ofSeconds(30);
        Duration startPeriod = Duration.ZERO;
        int retries = 3;
        Matcher option = OPTION.matcher(arguments);
        int end = 0;
        while (option.find(end) && option.start() == end) {
            String value = option.group(2);
            switch (option.group(1)) {
                case "interval" -> interval = duration(value);
                case "timeout" -> timeout = duration(value);
                case "start-period" -> startPeriod = duration(value);
                case "retries" -> retries = Integer.parseInt(value);
                default -> {
                    // --start-interval and future options do not change how long a start may take
                }
            }
            end = option.end();
        }
        String command = arguments.substring(end);
        if (!command.startsWith("CMD ")) {
            throw new IllegalArgumentException("HEALTHCHECK " + arguments + ": expected CMD after the options");
        }
        command = command.substring("CMD ".length()).trim();
        List<String> run = command.startsWith("[") ? DockerImage.execForm(command) : List.of("sh", "-c", command);
        return new DockerHealthCheck(run, interval, timeout, startPeriod, retries);
    }

    /** A Docker duration such as {@code 90s}, {@code 1m30s} or {@code 500ms}. */
    private static Duration duration(String text) {
        Duration total = Duration.ZERO;
        Matcher part = DURATION.matcher(text);
        int end = 0;
        while (part.find(end) && part.start() == end) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            });
            end = part.end();
        }
        if (end == 0 || end != text.length()) {
            throw new IllegalArgumentException("not a Docker duration: " + text);
        }
        return total;
    }
}
