package dev.flywheel.expression;

import java.util.List;

/** A parsed ProjectionExpression: the document paths to return, in the order written. */
public record ProjectionExpression(List<DocumentPath> paths) {
    public ProjectionExpression { paths = List.copyOf(paths); }
}
