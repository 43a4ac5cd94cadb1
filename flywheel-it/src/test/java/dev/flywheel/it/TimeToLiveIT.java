package dev.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;

/** DescribeTimeToLive through the AWS SDK for Java v2, against a server in this JVM. */
class TimeToLiveIT {
    private static InProcessServer server;
    private static DynamoDbClient ddb;

    @BeforeAll
    static void start() {
        server = new InProcessServer();
        ddb = Clients.sync(server.endpoint());
    }

    @AfterAll
    static void stop() {
        ddb.close();
        server.close();
    }

    @Test
    void aNewTableReportsTimeToLiveDisabledWithoutAnAttributeName() {
        String name = TablesIT.uniqueName("ttl");
        ddb.createTable(TablesIT.hashAndRange(name).build());

        TimeToLiveDescription ttl = ddb.describeTimeToLive(b -> b.tableName(name)).timeToLiveDescription();

        assertThat(ttl.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.DISABLED);
        assertThat(ttl.attributeName()).isNull();
    }

    @Test
    void aMissingTableIsResourceNotFoundNamingIt() {
        assertThatThrownBy(() -> ddb.describeTimeToLive(b -> b.tableName("no-such-ttl-table")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageStartingWith("Requested resource not found: Table: no-such-ttl-table not found");
    }
}
