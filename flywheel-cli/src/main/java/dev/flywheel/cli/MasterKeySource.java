package dev.flywheel.cli;

import dev.flywheel.engine.encryption.MasterKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the master key comes from: {@code --master-key-file} (base64 of 32 bytes), else the environment
 * variable {@value #ENVIRONMENT_VARIABLE}, else {@code <data-dir>/master.key}. A file is created (mode
 * 0600) only for data that has no keyring yet; for data that has one, a missing key is an error, never
 * a fresh key that would open nothing.
 */
final class MasterKeySource {
    static final String ENVIRONMENT_VARIABLE = "FLYWHEEL_MASTER_KEY";
    static final String DEFAULT_FILE = "master.key";
    private static final Logger log = LoggerFactory.getLogger("flywheel");

    /** Why a master key cannot be had; the message is for the operator. */
    static final class MissingMasterKeyException extends Exception {
        MissingMasterKeyException(String message) { super(message); }
    }

    private MasterKeySource() {}

    /**
     * @param file the --master-key-file option (null: not given)
     * @param dataDir the data directory (null: in memory, where a fresh key is right)
     * @param dataIsEncrypted whether the data already has a keyring
     */
    static MasterKey resolve(Path file, Path dataDir, boolean dataIsEncrypted) throws IOException, MissingMasterKeyException {
        String environment = System.getenv(ENVIRONMENT_VARIABLE);
        if (file == null && environment != null && !environment.isBlank()) {
            return MasterKey.of(decode(environment.strip(), ENVIRONMENT_VARIABLE));
        }
        if (file == null && dataDir == null) return MasterKey.of(MasterKey.generate());
        Path path = file != null ? file : dataDir.resolve(DEFAULT_FILE);
        if (Files.exists(path)) {
            String warning = OwnerOnlyFiles.looseness(path);
            if (warning != null) log.warn(warning);
            return MasterKey.of(decode(Files.readString(path, StandardCharsets.US_ASCII).strip(), path.toString()));
        }
        if (dataIsEncrypted) {
            throw new MissingMasterKeyException("the data in " + dataDir + " is encrypted, but there is no master key at "
                    + path + ": give the one it was written with (--master-key-file or " + ENVIRONMENT_VARIABLE + ")");
        }
        byte[] key = MasterKey.generate();
        if (path.getParent() != null) Files.createDirectories(path.getParent());
        OwnerOnlyFiles.write(path, (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII));
        log.info("Created a master key in {}: keep it safe and apart from the data; without it the data cannot be read", path);
        return MasterKey.of(key);
    }

    private static byte[] decode(String base64, String where) {
        try {
            byte[] key = Base64.getDecoder().decode(base64);
            if (key.length != MasterKey.BYTES) throw new IllegalArgumentException();
            return key;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": a master key is " + MasterKey.BYTES + " bytes in base64");
        }
    }
}
