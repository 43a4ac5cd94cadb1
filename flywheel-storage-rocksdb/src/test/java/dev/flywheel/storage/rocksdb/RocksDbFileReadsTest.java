package dev.flywheel.storage.rocksdb;

import static dev.flywheel.storage.Bytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.storage.Bytes;
import dev.flywheel.storage.Expected;
import dev.flywheel.storage.KeyRange;
import dev.flywheel.storage.Page;
import dev.flywheel.storage.PartitionWrite;
import dev.flywheel.storage.ReadLimits;
import dev.flywheel.storage.RowWrite;
import dev.flywheel.storage.Storage;
import dev.flywheel.storage.TreeMapStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads served from SST files rather than memtables. The contract suite's data stays in memtables;
 * reopening replays the write-ahead log into level-0 files, so here the block-based tables, their
 * whole-key and (table, hash) prefix bloom filters, and auto_prefix_mode iterators answer, forward and
 * backward, compared with {@link TreeMapStorage}.
 */
@Tag("random")
class RocksDbFileReadsTest {
    @TempDir
    Path dataDir;

    private static final String[] SORT_KEYS = {"", "a", "a\u0000", "ab", "a\u00FF", "b", "\u00FF", "\u00FF\u00FF"};

    @Test
    void readsFromFilesMatchTheModel() throws IOException {
        long seed = new Random().nextLong();
        System.out.println("RocksDbFileReadsTest seed = " + seed);
        Random random = new Random(seed);
        TreeMapStorage model = new TreeMapStorage();
        List<String> partitionKeys = new ArrayList<>();
        for (int i = 0; i < 60; i++) partitionKeys.add("pk" + i);
        partitionKeys.addAll(List.of("", "\u0000", "\u00FF", "\u00FF\u00FF"));

        try (Storage storage = open()) {
            for (long table = 1; table <= 3; table++) {
                for (String pk : partitionKeys) {
                    for (String sk : SORT_KEYS) {
                        if (random.nextInt(3) == 0) continue;
                        PartitionWrite write = PartitionWrite.of(table, bytes(pk), RowWrite.put(bytes(sk), bytes(pk + "/" + sk), Expected.ANY));
                        storage.write(write);
                        model.write(write);
                    }
                }
            }
        }
        try (Storage storage = open()) {
            assertThat(sstFiles()).as("the premise: data in files").isNotEmpty();
            for (long table = 0; table <= 4; table++) {
                for (int total : new int[] {1, 2, 5}) {
                    for (int segment = 0; segment < total; segment++) {
                        assertThat(describe(storage.scan(table, segment, total, null, ReadLimits.NONE)))
                                .as("seed %d: table %d segment %d of %d", seed, table, segment, total)
                                .isEqualTo(describe(model.scan(table, segment, total, null, ReadLimits.NONE)));
                    }
                }
                List<String> absentToo = new ArrayList<>(partitionKeys);
                absentToo.addAll(List.of("absent", "pk", "pk1\u0000"));
                for (String pk : absentToo) {
                    for (KeyRange range : ranges(random)) {
                        for (boolean forward : new boolean[] {true, false}) {
                            ReadLimits limits = ReadLimits.rows(1 + random.nextInt(4));
                            assertThat(describe(storage.read(table, bytes(pk), range, forward, limits)))
                                    .as("seed %d: table %d pk %s %s forward %s", seed, table, Bytes.show(pk), range, forward)
                                    .isEqualTo(describe(model.read(table, bytes(pk), range, forward, limits)));
                        }
                    }
                    for (String sk : SORT_KEYS) {
                        assertThat(storage.get(table, bytes(pk), bytes(sk))).isEqualTo(model.get(table, bytes(pk), bytes(sk)));
                    }
                }
            }
        }
    }

    private List<Path> sstFiles() throws IOException {
        try (Stream<Path> files = Files.list(dataDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".sst")).toList();
        }
    }

    private Storage open() {
        return RocksDbStorage.open(new RocksDbConfig(dataDir, false, false));
    }

    private static List<KeyRange> ranges(Random random) {
        String lower = SORT_KEYS[random.nextInt(SORT_KEYS.length)];
        String upper = SORT_KEYS[random.nextInt(SORT_KEYS.length)];
        return List.of(KeyRange.ALL, KeyRange.prefix(bytes("a")), KeyRange.prefix(bytes("\u00FF")),
                new KeyRange(bytes(lower), random.nextBoolean(), bytes(upper), random.nextBoolean()),
                new KeyRange(bytes(lower), random.nextBoolean(), null, true),
                new KeyRange(null, true, bytes(upper), random.nextBoolean()));
    }

    private static String describe(Page page) {
        return page.stopReason() + " " + page.rows().stream().map(Bytes::show).toList();
    }
}
