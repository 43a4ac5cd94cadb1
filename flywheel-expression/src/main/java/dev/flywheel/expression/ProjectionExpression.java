package dev.flywheel.expression;

import java.util.List;

/** A parsed ProjectionExpression: the document paths to return, in the order written. */
public record ProjectionExpression(List<DocumentPath> paths) {
    public ProjectionExpression { paths = List.copyOf(paths); }

    /** The top-level attributes the projection reads (resolved paths only): all a reader must decode. */
    public java.util.Set<String> topLevelNames() {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (DocumentPath path : paths) names.add(path.topLevelName());
        return names;
    }
}
