package io.smprotocol.it.download;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Real client programs taken from PATH; a test that needs a missing one is skipped, naming the Debian package. */
public final class Programs {

    private Programs() {
    }

    public static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return true;
            }
        }
        return false;
    }

    /** Skips the calling test when {@code program} is not installed. */
    public static void require(String program, String debianPackage) {
        assumeTrue(onPath(program), program + " not installed: apt-get install " + debianPackage);
    }
}
