package dev.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/** A server with credentials verifies SigV4 signatures as DynamoDB does. */
class AuthenticationIT {
    private static InProcessServer server;

    @BeforeAll
    static void start() {
        server = new InProcessServer(Map.of(Clients.ACCESS_KEY, Clients.SECRET_KEY));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theRightSecretGetsIn() {
        try (DynamoDbClient ddb = Clients.sync(server.endpoint())) {
            assertThat(ddb.listTables().tableNames()).isNotNull();
        }
    }

    @Test
    void aWrongSecretIsAnInvalidSignature() {
        try (DynamoDbClient ddb = Clients.sync(server.endpoint(), Clients.ACCESS_KEY, "wrong-secret")) {
            assertThatThrownBy(ddb::listTables)
                    .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
                        assertThat(e.awsErrorDetails().errorMessage()).startsWith(
                                "The request signature we calculated does not match the signature you provided.");
                    });
        }
    }

    @Test
    void anUnknownAccessKeyIsUnrecognized() {
        try (DynamoDbClient ddb = Clients.sync(server.endpoint(), "AKIDUNKNOWN", Clients.SECRET_KEY)) {
            assertThatThrownBy(ddb::listTables)
                    .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
                        assertThat(e.awsErrorDetails().errorMessage())
                                .isEqualTo("The security token included in the request is invalid.");
                    });
        }
    }
}
