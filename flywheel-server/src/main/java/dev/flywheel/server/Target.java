package dev.flywheel.server;

import dev.flywheel.model.DynamoDbException.UnknownOperationException;

/**
 * The parsed {@code X-Amz-Target} header: which service's API, and which operation of it.
 *
 * @param operation the part after the dot, e.g. {@code ListTables}; not checked against any model here
 */
record Target(Service service, String operation) {

    /** The APIs served on one endpoint, told apart by their target prefix (the service models' targetPrefix). */
    enum Service {
        DYNAMODB("DynamoDB_20120810"),
        DYNAMODB_STREAMS("DynamoDBStreams_20120810"),
        /** Flywheel's own calls between the regions of a global table. */
        FLYWHEEL_REPLICATION(dev.flywheel.model.replication.ReplicationApi.TARGET_PREFIX);

        private final String prefix;

        Service(String prefix) {
            this.prefix = prefix;
        }
    }

    /** @throws UnknownOperationException for a missing header or an unknown prefix, as DynamoDB answers */
    static Target parse(String header) {
        int dot = header == null ? -1 : header.indexOf('.');
        if (dot > 0 && dot < header.length() - 1) {
            String prefix = header.substring(0, dot);
            for (Service service : Service.values()) {
                if (service.prefix.equals(prefix)) {
                    return new Target(service, header.substring(dot + 1));
                }
            }
        }
        // DynamoDB answers a missing or unknown target with 400 and a bare
        // {"__type":"com.amazon.coral.service#UnknownOperationException"}: no message.
        throw new UnknownOperationException(null);
    }
}
