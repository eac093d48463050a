package org.reactivetracking.engines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An npm package pinned to one version, installed once into {@code <installHome>/<name>-<version>} (atomically: a
 * build killed half-way leaves only a staging folder behind, never a broken install), for an engine run with
 * {@code node}. Install scripts are not run: the engines need none (dynalite's LevelDB binding loads a prebuilt
 * binary that ships in its package).
 *
 * @param name    the package's name on the npm registry
 * @param version the exact version
 * @param entry   the file, relative to the package directory, whose presence marks a complete install
 */
record NpmPackage(String name, String version, String entry) {

    private static final Logger log = LoggerFactory.getLogger(NpmPackage.class);

    /** Installs the package unless it is installed already and returns its package directory. */
    Path install(Path installHome, Path logFile) {
        Path target = installHome.resolve(name + "-" + version);
        Path packageDir = target.resolve("node_modules").resolve(name);
        if (Files.isRegularFile(packageDir.resolve(entry))) {
            return packageDir;
        }
        log.info("Installing {}@{} with npm into {}", name, version, target);
        try {
            Files.createDirectories(installHome);
            Path staging = Files.createTempDirectory(installHome, name + "-");
            Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--no-save",
                    "--ignore-scripts", "--prefix", staging.toString(), name + "@" + version)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm install " + name + "@" + version + " failed; see " + logFile);
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (IOException raced) {
                if (!Files.isRegularFile(packageDir.resolve(entry))) {
                    throw raced;
                }
            }
            return packageDir;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot install " + name + " into " + installHome, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing " + name, ex);
        }
    }
}
