package dev.flywheel.engine.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.storage.TreeMapStorage;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two catalogs over one storage, as two servers over one Cassandra keyspace: what one creates the other
 * finds at once; what one changes or deletes the other sees after {@link Catalog#refresh}, with its
 * listeners told and a deletion counted.
 */
class CatalogRefreshTest {
    private final TreeMapStorage storage = new TreeMapStorage();
    private final Catalog here = new Catalog(storage, new Arns("us-east-1", "000000000000"));
    private final Catalog there = new Catalog(storage, new Arns("us-east-1", "000000000000"));

    @Test
    void changesAndDeletionsMadeElsewhereAreSeenAfterARefresh() {
        AtomicInteger announced = new AtomicInteger();
        there.onChange(announced::incrementAndGet);
        TableDefinition orders = TableDefinitionFormatTest.table(List.of());
        here.create(orders);
        assertThat(there.find("orders")).isEqualTo(orders); // created elsewhere: found at once
        assertThat(there.refresh()).isFalse();

        TableDefinition updated = here.update("orders", t -> t.withTableClass("STANDARD_INFREQUENT_ACCESS",
                Instant.ofEpochSecond(1_800_000_000)));
        assertThat(there.find("orders")).isNotEqualTo(updated); // not yet: until the refresh
        int before = announced.get();
        assertThat(there.refresh()).isTrue();
        assertThat(there.find("orders")).isEqualTo(updated);
        assertThat(announced.get()).isGreaterThan(before);

        long deletions = there.deletions();
        here.delete(updated);
        assertThat(there.refresh()).isTrue();
        assertThat(there.find("orders")).isNull();
        assertThat(there.deletions()).isEqualTo(deletions + 1);
        assertThat(there.refresh()).isFalse();
    }
}
