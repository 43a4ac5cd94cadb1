package dev.flywheel.cli;

import dev.flywheel.engine.encryption.Keyring;
import dev.flywheel.engine.encryption.ManagedKey;
import dev.flywheel.storage.Storage;
import dev.flywheel.storage.StorageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flywheel keys list|create|rotate|disable|enable}: the managed keys that protect tables, as KMS
 * keys do DynamoDB's. It opens the storage itself: on the embedded default the server must be stopped
 * (RocksDB lets one process in); on a Cassandra cluster ({@code --storage cassandra}, the same options as
 * {@code serve}) it works beside running servers, which see a key's change when they next start. A table
 * whose key is disabled answers every request with an error until the key is enabled again, and
 * DescribeTable shows it INACCESSIBLE_ENCRYPTION_CREDENTIALS.
 */
@Command(name = "keys", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Manage the keys that encrypt tables (stop the server first).")
final class KeysCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "list, create, rotate, disable or enable")
    String action;

    @Parameters(index = "1", arity = "0..1", description = "The key (id, ARN or alias) for rotate, disable, enable.")
    String key;

    @Option(names = "--alias", description = "An alias (alias/NAME) for a key being created.")
    String alias;

    @Option(names = "--data-dir", defaultValue = "data", description = "Where data is kept. Default: ./${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(names = "--master-key-file", description = "The master key (default: <data-dir>/master.key, or "
            + MasterKeySource.ENVIRONMENT_VARIABLE + ").")
    Path masterKeyFile;

    @Option(names = "--region", defaultValue = "us-east-1", description = "Region named in key ARNs. Default: ${DEFAULT-VALUE}.")
    String region;

    @Mixin
    StorageOptions storageOptions = new StorageOptions();

    @Override
    public Integer call() throws Exception {
        if (!List.of("list", "create", "rotate", "disable", "enable").contains(action)) {
            System.err.println("flywheel keys: unknown action " + action + " (list, create, rotate, disable, enable)");
            return 2;
        }
        if (!action.equals("list") && !action.equals("create") && key == null) {
            System.err.println("flywheel keys " + action + ": name the key (its id, ARN or alias)");
            return 2;
        }
        Path dir = dataDir.toAbsolutePath().normalize();
        if (!storageOptions.isCassandra() && !Files.isDirectory(dir)) {
            System.err.println("flywheel keys: no data in " + dir);
            return 2;
        }
        Storage storage;
        try {
            storage = storageOptions.open(dir, false, true);
        } catch (StorageException e) {
            System.err.println("flywheel keys: cannot open " + storageOptions.describe(dir, false, true)
                    + (storageOptions.isCassandra() ? "" : " (is the server running? stop it first)") + ": " + e.getMessage());
            return 2;
        }
        try (storage) {
            Keyring keyring;
            try {
                keyring = Keyring.open(storage, MasterKeySource.resolve(masterKeyFile, dir, Keyring.exists(storage)),
                        region, ServeCommand.ACCOUNT_ID);
            } catch (MasterKeySource.MissingMasterKeyException | Keyring.WrongMasterKeyException e) {
                System.err.println("flywheel keys: " + e.getMessage());
                return 2;
            }
            try {
                switch (action) {
                    case "list" -> keyring.list().forEach(k -> System.out.println(describe(k)));
                    case "create" -> System.out.println(describe(keyring.create(alias)));
                    case "rotate" -> System.out.println(describe(keyring.rotate(key)));
                    case "disable" -> System.out.println(describe(keyring.setEnabled(key, false)));
                    case "enable" -> System.out.println(describe(keyring.setEnabled(key, true)));
                    default -> throw new IllegalStateException(action);
                }
            } catch (IllegalArgumentException e) {
                System.err.println("flywheel keys " + action + ": " + e.getMessage());
                return 2;
            }
        }
        return 0;
    }

    /** One line per key: id, state, versions, ARN, aliases; never key material. */
    private static String describe(ManagedKey key) {
        return String.join("\t", key.id(), key.enabled() ? "Enabled" : "Disabled", "versions=" + key.versions(),
                key.arn() == null ? "-" : key.arn(), String.join(",", key.aliases()));
    }
}
