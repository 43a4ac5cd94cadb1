package dev.flywheel.engine.table;

/**
 * ARNs of this Flywheel's resources: {@code arn:aws:dynamodb:<region>:<account>:table/<name>}.
 * DynamoDB accepts a table's ARN wherever it accepts its name.
 */
public record Arns(String region, String accountId) {
    private static final String TABLE = ":table/";

    public String table(String tableName) {
        return "arn:aws:dynamodb:" + region + ":" + accountId + TABLE + tableName;
    }

    /** An index's ARN: {@code <table ARN>/index/<index name>}. */
    public String index(String tableName, String indexName) {
        return table(tableName) + "/index/" + indexName;
    }

    /** A stream's ARN: {@code <table ARN>/stream/<label>}. */
    public String stream(String tableName, String label) {
        return table(tableName) + "/stream/" + label;
    }

    /** The table name in {@code nameOrArn}: the name itself, or what follows {@code :table/} in an ARN. */
    public String tableName(String nameOrArn) {
        if (!nameOrArn.startsWith("arn:")) return nameOrArn;
        int i = nameOrArn.indexOf(TABLE);
        if (i < 0) return nameOrArn;
        String rest = nameOrArn.substring(i + TABLE.length());
        int slash = rest.indexOf('/');  // table/<name>/stream/... or /index/...
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    /** True when {@code arn} names a table of this region and account. */
    public boolean isTableArn(String arn) {
        return arn.startsWith("arn:aws:dynamodb:" + region + ":" + accountId + TABLE);
    }
}
