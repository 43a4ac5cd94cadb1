package dev.flywheel.storage.rocksdb;

import static dev.flywheel.storage.Bytes.bytes;

import dev.flywheel.storage.DerivedRecord;
import dev.flywheel.storage.Expected;
import dev.flywheel.storage.PartitionWrite;
import dev.flywheel.storage.RowWrite;
import dev.flywheel.storage.Storage;
import dev.flywheel.storage.StorageException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A storage in another JVM, for {@link SeparateProcessTest}. Prints what it does, one line at a time,
 * so the test can wait for a line instead of for time.
 * <ul>
 *   <li>{@code hold DIR}: opens DIR, prints {@code open}, and keeps it open until stdin closes.
 *   <li>{@code write DIR}: opens DIR and writes rows 1, 2, 3... (each with a derived record), printing
 *       {@code acked N} once write N has returned; runs until killed.
 * </ul>
 * A failure to open prints {@code failed: <exception>}.
 */
final class StorageProcess {
    public static void main(String[] args) throws IOException {
        Storage storage;
        try {
            storage = RocksDbStorage.open(new RocksDbConfig(Path.of(args[1]), false, false));
        } catch (StorageException e) {
            System.out.println("failed: " + e);
            System.exit(1);
            return;
        }
        switch (args[0]) {
            case "hold" -> {
                System.out.println("open");
                while (System.in.read() != -1) {
                    // Wait for the test to close our stdin.
                }
                storage.close();
                System.out.println("closed");
            }
            case "write" -> {
                for (long n = 1; ; n++) {
                    byte[] value = bytes(Long.toString(n));
                    storage.write(new PartitionWrite(1, bytes("pk" + n % 16), List.of(RowWrite.put(bytes("row" + n), value, Expected.ABSENT)),
                            List.of(new DerivedRecord("stream", value))));
                    System.out.println("acked " + n);
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
