package dev.flywheel.cli;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Secrets on disk (private keys, credentials, keyrings): written readable by their owner only, and
 * checked at start for looser permissions, which are reported as a warning naming the file.
 */
final class OwnerOnlyFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private OwnerOnlyFiles() {}

    /** Writes {@code content} to a file created with mode 0600 (replacing any file there). */
    static void write(Path file, byte[] content) throws IOException {
        Files.deleteIfExists(file);
        if (POSIX) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.write(file, content, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }

    /** A warning when group or others may read or write {@code file}; null when it is private (or not POSIX). */
    static String looseness(Path file) throws IOException {
        if (!POSIX) return null;
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        Set<PosixFilePermission> loose = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
        loose.retainAll(permissions);
        if (loose.isEmpty()) return null;
        return file + " holds secrets but is accessible to others (" + PosixFilePermissions.toString(permissions)
                + "); restrict it with: chmod 600 " + file;
    }
}
