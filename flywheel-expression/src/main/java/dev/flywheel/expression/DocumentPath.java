package dev.flywheel.expression;

import java.util.List;

/**
 * A document path such as {@code a.b[2].#c}: a top-level attribute followed by map keys and list
 * indexes. The first element is always a {@link PathElement.Name} or {@link PathElement.NameRef}.
 */
public record DocumentPath(List<PathElement> elements) implements Operand {

    public DocumentPath {
        elements = List.copyOf(elements);
        if (elements.isEmpty() || elements.getFirst() instanceof PathElement.Index) {
            throw new IllegalArgumentException("a document path starts with a name: " + elements);
        }
    }

    /** A path of plain names, e.g. {@code DocumentPath.of("a", "b")} for {@code a.b}. */
    public static DocumentPath of(String... names) {
        return new DocumentPath(java.util.Arrays.stream(names).<PathElement>map(PathElement.Name::new).toList());
    }

    /** The top-level attribute name; only meaningful once resolved. */
    public String topLevelName() {
        return ((PathElement.Name) elements.getFirst()).name();
    }

    /** True when every element is a plain name or index, as after resolution. */
    public boolean isResolved() {
        return elements.stream().noneMatch(e -> e instanceof PathElement.NameRef);
    }

    /**
     * DynamoDB's rendering in error messages: {@code [a, b, [2]]}, names as resolved, indexes in
     * brackets (for example "Two document paths overlap ...; path one: [a], path two: [a, b]").
     */
    public String describe() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) sb.append(", ");
            switch (elements.get(i)) {
                case PathElement.Name n -> sb.append(n.name());
                case PathElement.NameRef r -> sb.append(r.placeholder());
                case PathElement.Index x -> sb.append('[').append(x.index()).append(']');
            }
        }
        return sb.append(']').toString();
    }
}
