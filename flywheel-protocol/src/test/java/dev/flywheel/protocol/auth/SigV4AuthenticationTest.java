package dev.flywheel.protocol.auth;

import static dev.flywheel.protocol.auth.TestRequest.ACCESS_KEY;
import static dev.flywheel.protocol.auth.TestRequest.LIST_TABLES;
import static dev.flywheel.protocol.auth.TestRequest.SECRET_KEY;
import static dev.flywheel.protocol.auth.TestRequest.SIGNED_AT;
import static dev.flywheel.protocol.auth.TestRequest.signBySdk;
import static dev.flywheel.protocol.auth.TestRequest.signedListTables;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.model.DynamoDbException.IncompleteSignatureException;
import dev.flywheel.model.DynamoDbException.InvalidSignatureException;
import dev.flywheel.model.DynamoDbException.MissingAuthenticationTokenException;
import dev.flywheel.model.DynamoDbException.UnrecognizedClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SigV4 verification, checked against requests signed by the AWS SDK for Java v2's own signer. */
class SigV4AuthenticationTest {
    private static final String SIGNATURE_MISMATCH = "The request signature we calculated does not match the signature"
            + " you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation"
            + " for details.";

    private static RequestAuthenticator verifierAt(Instant now) {
        return RequestAuthenticator.create(Map.of(ACCESS_KEY, SECRET_KEY), "dynamodb", Clock.fixed(now, ZoneOffset.UTC));
    }

    private static final RequestAuthenticator VERIFIER = verifierAt(SIGNED_AT);

    @Nested
    class WithCredentials {

        @Test
        void acceptsTheSdksSignature() {
            assertThatCode(() -> VERIFIER.authenticate(signedListTables())).doesNotThrowAnyException();
        }

        @Test
        void acceptsAnEncodedPathAndAQueryString() {
            // The path is encoded a second time for signing; query parameters are sorted by name, then value.
            TestRequest request = signBySdk(ACCESS_KEY, SECRET_KEY, "eu-west-1", "/a%20b/c~d",
                    "z=1&a=2&a=1&sp=x%20y&plus=a%2Bb&empty=", LIST_TABLES);

            assertThatCode(() -> VERIFIER.authenticate(request)).doesNotThrowAnyException();
        }

        @Test
        void rejectsAWrongSecret() {
            TestRequest request = signBySdk(ACCESS_KEY, "not-the-secret", "us-east-1", "/", null, LIST_TABLES);

            assertThatThrownBy(() -> VERIFIER.authenticate(request))
                    .isInstanceOf(InvalidSignatureException.class)
                    .hasMessage(SIGNATURE_MISMATCH);
        }

        @Test
        void rejectsAChangedBody() {
            TestRequest request = signedListTables().withBody("{\"Limit\":11}");

            assertThatThrownBy(() -> VERIFIER.authenticate(request))
                    .isInstanceOf(InvalidSignatureException.class)
                    .hasMessage(SIGNATURE_MISMATCH);
        }

        @Test
        void rejectsAChangedSignedHeader() {
            TestRequest request = signedListTables().withHeader("X-Amz-Target", "DynamoDB_20120810.DeleteTable");

            assertThatThrownBy(() -> VERIFIER.authenticate(request)).isInstanceOf(InvalidSignatureException.class);
        }

        @Test
        void ignoresUnsignedHeaders() {
            TestRequest request = signedListTables().withHeader("X-Forwarded-For", "10.0.0.1");

            assertThatCode(() -> VERIFIER.authenticate(request)).doesNotThrowAnyException();
        }

        @Test
        void rejectsAnUnknownAccessKey() {
            TestRequest request = signBySdk("AKIDUNKNOWN", SECRET_KEY, "us-east-1", "/", null, LIST_TABLES);

            assertThatThrownBy(() -> VERIFIER.authenticate(request))
                    .isInstanceOf(UnrecognizedClientException.class)
                    .hasMessage("The security token included in the request is invalid.");
        }

        @Test
        void acceptsARequestTimeFifteenMinutesEitherWay() {
            assertThatCode(() -> verifierAt(SIGNED_AT.plus(Duration.ofMinutes(15))).authenticate(signedListTables()))
                    .doesNotThrowAnyException();
            assertThatCode(() -> verifierAt(SIGNED_AT.minus(Duration.ofMinutes(15))).authenticate(signedListTables()))
                    .doesNotThrowAnyException();
        }

        @Test
        void rejectsAnExpiredSignature() {
            RequestAuthenticator later = verifierAt(SIGNED_AT.plus(Duration.ofMinutes(15)).plusSeconds(1));

            assertThatThrownBy(() -> later.authenticate(signedListTables()))
                    .isInstanceOf(InvalidSignatureException.class)
                    .hasMessage("Signature expired: 20240101T120000Z is now earlier than 20240101T120001Z"
                            + " (20240101T121501Z - 15 min.)");
        }

        @Test
        void rejectsASignatureFromTheFuture() {
            RequestAuthenticator earlier = verifierAt(SIGNED_AT.minus(Duration.ofMinutes(16)));

            assertThatThrownBy(() -> earlier.authenticate(signedListTables()))
                    .isInstanceOf(InvalidSignatureException.class)
                    .hasMessage("Signature not yet current: 20240101T120000Z is still later than 20240101T115900Z"
                            + " (20240101T114400Z + 15 min.)");
        }

        @Test
        void requiresHostToBeSigned() {
            TestRequest request = withAuthorization(
                    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/dynamodb/aws4_request,"
                            + " SignedHeaders=x-amz-date;x-amz-target, Signature=abc");

            assertThatThrownBy(() -> VERIFIER.authenticate(request))
                    .isInstanceOf(InvalidSignatureException.class)
                    .hasMessage("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }

        @Test
        void reportsEveryScopeProblemAtOnce() {
            TestRequest request = withAuthorization(
                    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20231231/us-east-1/s3/aws4_requests,"
                            + " SignedHeaders=host;x-amz-date, Signature=abc");

            assertThatThrownBy(() -> VERIFIER.authenticate(request))
                    .isInstanceOf(InvalidSignatureException.class)
                    .hasMessage("Credential should be scoped to correct service: 'dynamodb'. "
                            + "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_requests'. "
                            + "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP:"
                            + " '20231231' != '20240101', from '20240101T120000Z'.");
        }

        @Test
        void comparesRepeatedHeadersAsOneCommaJoinedValue() {
            // A header sent twice is signed as "v1,v2"; adding a value after signing changes the signature.
            TestRequest request = signedListTables().withAddedHeaderValue("X-Amz-Target", "again");

            assertThatThrownBy(() -> VERIFIER.authenticate(request)).isInstanceOf(InvalidSignatureException.class);
        }
    }

    @Nested
    class MalformedHeaders {

        @Test
        void missingAuthorization() {
            assertThatThrownBy(() -> VERIFIER.authenticate(signedListTables().withHeader("Authorization", null)))
                    .isInstanceOf(MissingAuthenticationTokenException.class)
                    .hasMessage("Request is missing Authentication Token");
        }

        @Test
        void anAuthorizationThatIsNotAws4CountsAsMissing() {
            assertThatThrownBy(() -> VERIFIER.authenticate(withAuthorization("AWS4")))
                    .isInstanceOf(MissingAuthenticationTokenException.class)
                    .hasMessage("Request is missing Authentication Token");
            assertThatThrownBy(() -> VERIFIER.authenticate(withAuthorization("Bearer abc")))
                    .isInstanceOf(MissingAuthenticationTokenException.class);
        }

        @Test
        void everyMissingPartIsReportedInOneMessage() {
            TestRequest request = withAuthorization("AWS4-").withHeader("X-Amz-Date", null);

            assertThatThrownBy(() -> VERIFIER.authenticate(request))
                    .isInstanceOf(IncompleteSignatureException.class)
                    .hasMessage("Authorization header requires 'Credential' parameter. "
                            + "Authorization header requires 'Signature' parameter. "
                            + "Authorization header requires 'SignedHeaders' parameter. "
                            + "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
                            + "Authorization=AWS4-");
        }

        @Test
        void aMissingSignature() {
            String header = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/dynamodb/aws4_request,"
                    + " SignedHeaders=host;x-amz-date";

            assertThatThrownBy(() -> VERIFIER.authenticate(withAuthorization(header)))
                    .isInstanceOf(IncompleteSignatureException.class)
                    .hasMessage("Authorization header requires 'Signature' parameter. Authorization=" + header);
        }

        @Test
        void theDateHeaderStandsInForXAmzDate() {
            TestRequest request = signedListTables();
            TestRequest withDate = request.withHeader("Date", request.header("X-Amz-Date")).withHeader("X-Amz-Date", null);

            // Parsing accepts it; the signature no longer matches because x-amz-date was signed.
            assertThatThrownBy(() -> VERIFIER.authenticate(withDate)).isInstanceOf(InvalidSignatureException.class)
                    .hasMessage(SIGNATURE_MISMATCH);
        }

        @Test
        void aParameterWithoutEqualSign() {
            // A space pasted into the access key splits the credential in two.
            String header = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE /20240101/us-east-1/dynamodb/aws4_request,"
                    + " SignedHeaders=host;x-amz-date, Signature=abc";

            assertThatThrownBy(() -> VERIFIER.authenticate(withAuthorization(header)))
                    .isInstanceOf(IncompleteSignatureException.class)
                    .hasMessage("'/20240101/us-east-1/dynamodb/aws4_request' not a valid key=value pair (missing"
                            + " equal-sign) in Authorization header: '" + header + "'.");
        }

        @Test
        void aDateNotInBasicFormat() {
            TestRequest request = signedListTables().withHeader("X-Amz-Date", "2024-01-01T12:00:00Z");

            assertThatThrownBy(() -> VERIFIER.authenticate(request))
                    .isInstanceOf(IncompleteSignatureException.class)
                    .hasMessage("Date must be in ISO-8601 'basic format'. Got '2024-01-01T12:00:00Z'."
                            + " See http://en.wikipedia.org/wiki/ISO_8601");
        }

        /** The basic format's shape with an impossible date or time is refused as the formatter refuses it. */
        @ParameterizedTest
        @ValueSource(strings = {"20240230T120000Z", "20241301T120000Z", "20240101T240000Z", "20240101T126000Z", "2024010AT120000Z"})
        void aBasicFormatDateThatDoesNotExist(String date) {
            TestRequest request = signedListTables().withHeader("X-Amz-Date", date);

            assertThatThrownBy(() -> VERIFIER.authenticate(request))
                    .isInstanceOf(IncompleteSignatureException.class)
                    .hasMessage("Date must be in ISO-8601 'basic format'. Got '" + date + "'."
                            + " See http://en.wikipedia.org/wiki/ISO_8601");
        }

        @Test
        void anUnsupportedAlgorithm() {
            String header = signedListTables().authorization().replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA25");

            assertThatThrownBy(() -> VERIFIER.authenticate(withAuthorization(header)))
                    .isInstanceOf(IncompleteSignatureException.class)
                    .hasMessage("Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA25' (only AWS4-HMAC-SHA256 for now). ");
        }

        @Test
        void aCredentialWithoutFiveElements() {
            String header = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/dynamodb/,"
                    + " SignedHeaders=host;x-amz-date, Signature=abc";

            assertThatThrownBy(() -> VERIFIER.authenticate(withAuthorization(header)))
                    .isInstanceOf(IncompleteSignatureException.class)
                    .hasMessage("Credential must have exactly 5 slash-delimited elements, e.g."
                            + " keyid/date/region/service/term, got 'AKIDEXAMPLE/20240101/us-east-1/dynamodb/'");
        }
    }

    @Nested
    class WithoutCredentials {
        private final RequestAuthenticator anyWellFormed =
                RequestAuthenticator.create(Map.of(), "dynamodb", Clock.fixed(SIGNED_AT.plus(Duration.ofDays(1)), ZoneOffset.UTC));

        @Test
        void acceptsAnyWellFormedSignatureWhateverItsKeyOrTime() {
            TestRequest request = signBySdk("any-key", "any-secret", "local", "/", null, LIST_TABLES);

            assertThatCode(() -> anyWellFormed.authenticate(request)).doesNotThrowAnyException();
        }

        @Test
        void stillRejectsAMissingOrMalformedHeader() {
            assertThatThrownBy(() -> anyWellFormed.authenticate(signedListTables().withHeader("Authorization", null)))
                    .isInstanceOf(MissingAuthenticationTokenException.class);
            assertThatThrownBy(() -> anyWellFormed.authenticate(withAuthorization("AWS4-HMAC-SHA256 Signature=abc")))
                    .isInstanceOf(IncompleteSignatureException.class);
        }
    }

    private static TestRequest withAuthorization(String header) {
        return signedListTables().withHeader("Authorization", header);
    }
}
