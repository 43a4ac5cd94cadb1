package dev.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's start command, driven by the AWS CLI and by boto3: what a user does first. Skipped
 * (not failed) where the machine lacks the AWS CLI or boto3; CI installs both.
 */
@Tag("slow")
class CliSmokeIT {
    @TempDir
    static Path dataDir;
    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        server = ServerProcess.readmeCommand("--port", Integer.toString(port), "--data-dir", dataDir.toString());
        // On the suite's storage: under -Dflywheel.it.storage=cassandra the launcher is given a keyspace.
        assertThat(server.output()).contains(InProcessServer.ON_CASSANDRA ? "(data: Cassandra keyspace flywheel_itp_"
                : "(data: " + dataDir + ", ");
    }

    @AfterAll
    static void stop() throws Exception {
        assertThat(server.stop()).isEqualTo(143);
        assertThat(server.output()).contains("Flywheel stopped")
                .doesNotContain("could not prepare the startup cache"); // the launcher's training run (JDK 25)
    }

    record Result(int exit, String output) {}

    static Result run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("AWS_ACCESS_KEY_ID", "AKIDSMOKE");
        env.put("AWS_SECRET_ACCESS_KEY", "smoke");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_MAX_ATTEMPTS", "1"); // an error shows at once, not after retries
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    static boolean available(String... probe) {
        try {
            return run(List.of(probe)).exit() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    List<String> aws(String... args) {
        List<String> command = new ArrayList<>(List.of("aws", "dynamodb"));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", server.endpoint().toString(), "--output", "json"));
        return command;
    }

    @Test
    void awsCli() throws Exception {
        assumeTrue(available("aws", "--version"), "the AWS CLI is not installed");
        Result created = run(aws("create-table", "--table-name", "cli", "--billing-mode", "PAY_PER_REQUEST",
                "--attribute-definitions", "AttributeName=id,AttributeType=S",
                "--key-schema", "AttributeName=id,KeyType=HASH"));
        assertThat(created.exit()).as(created.output()).isZero();
        assertThat(created.output()).contains("\"TableName\": \"cli\"");
        Result waited = run(aws("wait", "table-exists", "--table-name", "cli"));
        assertThat(waited.exit()).as(waited.output()).isZero();

        Result put = run(aws("put-item", "--table-name", "cli", "--item", "{\"id\":{\"S\":\"1\"},\"n\":{\"N\":\"1.50\"}}"));
        assertThat(put.exit()).as(put.output()).isZero();
        Result got = run(aws("get-item", "--table-name", "cli", "--key", "{\"id\":{\"S\":\"1\"}}"));
        assertThat(got.exit()).as(got.output()).isZero();
        assertThat(got.output()).contains("\"N\": \"1.5\"");

        Result missing = run(aws("describe-table", "--table-name", "nope"));
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.output()).contains("ResourceNotFoundException");
    }

    @Test
    void boto3() throws Exception {
        assumeTrue(available("python3", "-c", "import boto3"), "boto3 is not installed");
        String script = String.join("\n",
                "import boto3, sys",
                "ddb = boto3.client('dynamodb', endpoint_url=sys.argv[1])",
                "ddb.create_table(TableName='pytable', BillingMode='PAY_PER_REQUEST',",
                "    AttributeDefinitions=[{'AttributeName': 'k', 'AttributeType': 'N'}],",
                "    KeySchema=[{'AttributeName': 'k', 'KeyType': 'HASH'}])",
                "ddb.get_waiter('table_exists').wait(TableName='pytable')",
                "ddb.put_item(TableName='pytable', Item={'k': {'N': '7'}, 'b': {'B': b'\\x00\\xff'}, 'ss': {'SS': ['a', 'b']}})",
                "item = ddb.get_item(TableName='pytable', Key={'k': {'N': '7'}}, ConsistentRead=True)['Item']",
                "assert item['b']['B'] == b'\\x00\\xff', item",
                "assert sorted(item['ss']['SS']) == ['a', 'b'], item",
                "t = boto3.resource('dynamodb', endpoint_url=sys.argv[1]).Table('pytable')",
                "t.put_item(Item={'k': 8, 'name': 'eight'})",
                "assert t.get_item(Key={'k': 8})['Item']['name'] == 'eight'",
                "try:",
                "    ddb.describe_table(TableName='missing')",
                "    raise SystemExit('expected ResourceNotFoundException')",
                "except ddb.exceptions.ResourceNotFoundException:",
                "    pass",
                "print('boto3 ok')");
        Result r = run(List.of("python3", "-c", script, server.endpoint().toString()));
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("boto3 ok");
    }
}
