package dev.flywheel.server.access;

import java.util.Objects;

/**
 * A caller: an access key pair of the credentials file, named by its profile. IAM calls it a user, and
 * so do AccessDeniedException messages ({@code arn:aws:iam::<account>:user/<name>}).
 */
public record Principal(String accessKeyId, String name) {
    public Principal {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(name, "name");
    }

    String arn(String accountId) {
        return "arn:aws:iam::" + accountId + ":user/" + name;
    }
}
