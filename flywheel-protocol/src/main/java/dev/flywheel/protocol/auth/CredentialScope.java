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
        // Five elements: four slashes. Split by hand (String.split was a visible share of a request's CPU).
        int slashes = 0;
        for (int i = 0; i < trimmed.length(); i++) if (trimmed.charAt(i) == '/') slashes++;
        if (slashes != 4) {
            throw new IncompleteSignatureException("Credential must have exactly 5 slash-delimited elements, "
                    + "e.g. keyid/date/region/service/term, got '" + credential + "'");
        }
        String[] parts = new String[5];
        int start = 0;
        for (int i = 0; i < 4; i++) {
            int slash = trimmed.indexOf('/', start);
            parts[i] = trimmed.substring(start, slash);
            start = slash + 1;
        }
        parts[4] = trimmed.substring(start);
        return new CredentialScope(parts[0], parts[1], parts[2], parts[3], parts[4]);
    }

    /** The scope line of the string to sign: {@code date/region/service/terminator}. */
    String scope() {
        return date + "/" + region + "/" + service + "/" + terminator;
    }
}
