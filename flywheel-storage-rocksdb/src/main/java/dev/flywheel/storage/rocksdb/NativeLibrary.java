package dev.flywheel.storage.rocksdb;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarEntry;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;

/**
 * Loads RocksDB's JNI library from a per-user cache, extracting it from its jar only the first time a
 * given build of it is used.
 *
 * <p>Why: {@link RocksDB#loadLibrary()} copies the 17 MB library out of the jar into a new temporary file
 * on every start, a fifth of a second of a server's start on one core (BENCHMARKS.md, startup), and leaves
 * a copy behind after a kill. The cache is {@code $XDG_CACHE_HOME/flywheel/native} (else
 * {@code ~/.cache/flywheel/native}), owner-only, one directory per build named by the jar entry's CRC and
 * size (read from the jar's directory, without reading the library); a file is complete once it has its
 * name (written beside it, then moved). Where there is no jar or no usable cache, RocksDB's own way. (No
 * logging: this module has no logger, and a child process in the tests reads this one's output.)
 */
final class NativeLibrary {
    private NativeLibrary() {}

    static void load() {
        try {
            Path directory = cachedCopy();
            if (directory != null) {
                RocksDB.loadLibrary(List.of(directory.toString()));
                return;
            }
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            // An optimisation only (a read-only or noexec home, say): RocksDB's own way below always works.
        }
        RocksDB.loadLibrary();
    }

    /** The cache directory holding this build's library, filled if needed; null when it cannot be used. */
    private static Path cachedCopy() throws IOException {
        String name = Environment.getJniLibraryFileName("rocksdb");
        URL resource = RocksDB.class.getClassLoader().getResource(name);
        if (resource == null) return null;
        URLConnection connection = resource.openConnection();
        if (!(connection instanceof JarURLConnection jar)) return null;
        JarEntry entry = jar.getJarEntry();
        if (entry.getCrc() < 0 || entry.getSize() < 0) return null;
        Path root = cacheRoot();
        if (root == null) return null;
        Path directory = root.resolve(String.format(Locale.ROOT, "rocksdbjni-%08x-%d", entry.getCrc(), entry.getSize()));
        Path library = directory.resolve(name);
        if (Files.isRegularFile(library) && Files.size(library) == entry.getSize()) {
            return directory;
        }
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path partial = Files.createTempFile(directory, name, ".partial");
        try (InputStream in = connection.getInputStream()) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        return directory;
    }

    private static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        String home = System.getProperty("user.home");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : home != null && !home.isBlank() && !home.equals("?") ? Path.of(home, ".cache") : null;
        return base == null ? null : base.resolve("flywheel").resolve("native");
    }
}
