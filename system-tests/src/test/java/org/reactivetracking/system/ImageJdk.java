package org.reactivetracking.system;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A JDK of the image's Java version on this machine, so the image's entrypoint runs on the runtime it ships with
 * (its JVM options included: an option a later JDK added is refused by an earlier one). Looked up in
 * {@code IMAGE_JAVA_HOME}, then this JVM's own home, then {@code /usr/lib/jvm}.
 */
final class ImageJdk {

    static final String VARIABLE = "IMAGE_JAVA_HOME";
    private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    private ImageJdk() {
    }

    /**
     * The JDK's home, or the test is skipped on a machine without one; under CI ({@code CI} set) a missing JDK fails
     * the test instead, so the image's runtime is never left unchecked there.
     */
    static Path require(int major) {
        Optional<Path> jdk = find(major);
        String missing = "no JDK " + major + " (the image's Java) on this machine: set " + VARIABLE + " to one";
        if (jdk.isEmpty() && System.getenv("CI") != null) {
            fail(missing);
        }
        assumeTrue(jdk.isPresent(), missing);
        return jdk.get();
    }

    private static Optional<Path> find(int major) {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getenv(VARIABLE);
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        candidates.add(Path.of(System.getProperty("java.home")));
        Path installed = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(installed)) {
            try (Stream<Path> homes = Files.list(installed)) {
                homes.sorted().forEach(candidates::add);
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return candidates.stream().filter(home -> major(home) == major
                && Files.isExecutable(home.resolve("bin").resolve("java"))).findFirst();
    }

    /** The feature version a JDK's {@code release} file names, or -1. */
    static int major(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)) {
            return -1;
        }
        try {
            Matcher matcher = VERSION.matcher(Files.readString(release));
            return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
        }
        catch (IOException ex) {
            return -1;
        }
    }
}
