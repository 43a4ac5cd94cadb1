package dev.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/** The command line as users meet it: help, version, the safe-by-default bind rule, credentials. */
class CommandLineIT {
    record Run(int exit, String output) {}

    static Run flywheel(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-jar", ServerProcess.REPO.resolve("flywheel-cli/target/flywheel.jar").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void versionAndHelp() throws Exception {
        Run version = flywheel("--version");
        assertThat(version.exit()).isZero();
        assertThat(version.output()).startsWith("Flywheel ");
        Run help = flywheel("serve", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.output()).contains("--port", "--bind", "--data-dir", "--in-memory", "--sync-writes",
                "--credentials", "--policy", "--tls-cert", "--tls-key", "--tls-self-signed", "--allow-unauthenticated",
                "--peer", "--peers-file");
    }

    @Test
    void aNonLoopbackAddressWithoutCredentialsIsRefused() throws Exception {
        Run refused = flywheel("serve", "--bind", "0.0.0.0", "--port", "0", "--in-memory");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.output()).contains("refusing to listen on 0.0.0.0 without credentials");
    }

    @Test
    void credentialsFromAFileAreVerified(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("credentials");
        Files.writeString(file, "# the AWS shared-credentials format\n[default]\naws_access_key_id = " + Clients.ACCESS_KEY
                + "\naws_secret_access_key=" + Clients.SECRET_KEY + "\n");
        try (ServerProcess server = ServerProcess.jar(dir.resolve("data"), "--credentials", file.toString())) {
            assertThat(server.output()).contains("1 access key(s), signatures verified");
            try (DynamoDbClient good = Clients.sync(server.endpoint())) {
                assertThat(good.listTables().tableNames()).isEmpty();
            }
            try (DynamoDbClient bad = Clients.sync(server.endpoint(), Clients.ACCESS_KEY, "not-the-secret")) {
                DynamoDbException e = org.assertj.core.api.Assertions.catchThrowableOfType(DynamoDbException.class,
                        bad::listTables);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
            }
        }
    }

    @Test
    void aMalformedCredentialsFileIsReported(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("credentials");
        Files.writeString(file, "AKID:SECRET\n");
        Run run = flywheel("serve", "--port", "0", "--in-memory", "--credentials", file.toString());
        assertThat(run.exit()).isNotZero();
        assertThat(run.output()).contains(file + ":1: expected a [profile] header or key = value");
        Files.writeString(file, "[half]\naws_access_key_id = AKID\n");
        run = flywheel("serve", "--port", "0", "--in-memory", "--credentials", file.toString());
        assertThat(run.exit()).isNotZero();
        assertThat(run.output()).contains("profile [half] needs aws_access_key_id and aws_secret_access_key");
    }

    @Test
    void aBadPeersFileIsReportedWithItsLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("peers");
        Files.writeString(file, "region = us-east-1\npeer.us-west-2 = 127.0.0.2:8000\n");
        Run run = flywheel("serve", "--port", "0", "--in-memory", "--peers-file", file.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.output()).contains("flywheel: " + file + ":2: peer.us-west-2: '127.0.0.2:8000' is not a URL");
        Files.writeString(file, "region = eu-west-1\npeer.us-west-2 = http://127.0.0.2:8000\n");
        run = flywheel("serve", "--port", "0", "--in-memory", "--region", "us-east-1", "--peers-file", file.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.output()).contains("--region us-east-1 differs from region = eu-west-1 in " + file);
        run = flywheel("serve", "--port", "0", "--in-memory", "--peer", "us-west-2=http://127.0.0.4:8000",
                "--peers-file", file.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.output()).contains("peer.us-west-2 is given both by --peer and in " + file);
    }

    @Test
    void aPolicyNeedsCredentialsAndMustNameKnownPrincipals(@TempDir Path dir) throws Exception {
        Path policy = dir.resolve("policy.json");
        Files.writeString(policy, "{\"someone\": {\"Version\": \"2012-10-17\", \"Statement\": []}}");
        Run withoutCredentials = flywheel("serve", "--port", "0", "--in-memory", "--policy", policy.toString());
        assertThat(withoutCredentials.exit()).isEqualTo(2);
        assertThat(withoutCredentials.output()).contains("--policy needs --credentials");
        Path credentials = dir.resolve("credentials");
        Files.writeString(credentials, "[admin]\naws_access_key_id = AKIDADMIN\naws_secret_access_key = s\n");
        Run unknownName = flywheel("serve", "--port", "0", "--in-memory", "--credentials", credentials.toString(),
                "--policy", policy.toString());
        assertThat(unknownName.exit()).isNotZero();
        assertThat(unknownName.output()).contains("a policy is attached to 'someone', which is neither a profile nor an"
                + " access key id of the credentials");
        Files.writeString(policy, "{\"admin\": {\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\","
                + " \"Action\": \"dynamodb:*\", \"Resource\": \"*\", \"Condition\": {\"NumericLessThan\": {\"x\": \"1\"}}}}}");
        Run unsupported = flywheel("serve", "--port", "0", "--in-memory", "--credentials", credentials.toString(),
                "--policy", policy.toString());
        assertThat(unsupported.exit()).isNotZero();
        assertThat(unsupported.output()).contains(policy + ": admin: unsupported condition operator NumericLessThan");
    }
}
