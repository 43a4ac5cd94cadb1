package dev.flywheel.protocol.auth;

import dev.flywheel.model.DynamoDbException.IncompleteSignatureException;

/**
 * The {@code Credential} parameter of a SigV4 Authorization header:
 * {@code AKID/20240101/us-east-1/dynamodb/aws4_request}.
 */
record CredentialScope(String accessKeyId, String date, String region, String service, String terminator) {

    static CredentialScope parse(String credential) {
        // AWS ignores trailing slashes, then wants exactly five elements (observed DynamoDB behaviour).
        String trimmed = credential;
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        String[] parts = trimmed.split("/", -1);
        if (parts.length != 5) {
            throw new IncompleteSignatureException("Credential must have exactly 5 slash-delimited elements, "
                    + "e.g. keyid/date/region/service/term, got '" + credential + "'");
        }
        return new CredentialScope(parts[0], parts[1], parts[2], parts[3], parts[4]);
    }

    /** The scope line of the string to sign: {@code date/region/service/terminator}. */
    String scope() {
        return date + "/" + region + "/" + service + "/" + terminator;
    }
}
