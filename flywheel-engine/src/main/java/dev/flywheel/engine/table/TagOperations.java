package dev.flywheel.engine.table;

import dev.flywheel.model.DynamoDbException.ResourceNotFoundException;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.shapes.ListTagsOfResourceInput;
import dev.flywheel.model.shapes.ListTagsOfResourceOutput;
import dev.flywheel.model.shapes.Tag;
import dev.flywheel.model.shapes.TagResourceInput;
import dev.flywheel.model.shapes.UntagResourceInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** TagResource, UntagResource and ListTagsOfResource, on tables addressed by ARN. */
public final class TagOperations {
    private final Catalog catalog;

    public TagOperations(Catalog catalog) {
        this.catalog = catalog;
    }

    public void tagResource(TagResourceInput request) {
        TableDefinition table = require(request.resourceArn());
        catalog.update(table.name(), t -> t.withTags(Tags.validated(t.tags(), request.tags())));
    }

    public void untagResource(UntagResourceInput request) {
        TableDefinition table = require(request.resourceArn());
        catalog.update(table.name(), t -> t.withTags(Tags.without(t.tags(), request.tagKeys())));
    }

    /** All of a table's tags in one page (at most 50 exist, so DynamoDB's paging never applies). */
    public ListTagsOfResourceOutput listTagsOfResource(ListTagsOfResourceInput request) {
        TableDefinition table = require(request.resourceArn());
        List<Tag> tags = new ArrayList<>();
        for (Map.Entry<String, String> e : table.tags().entrySet()) tags.add(new Tag(e.getKey(), e.getValue()));
        return new ListTagsOfResourceOutput(tags, null);
    }

    private TableDefinition require(String arn) {
        if (!catalog.arns().isTableArn(arn)) {
            throw new ValidationException("Invalid TableArn: Invalid ResourceArn provided as input " + arn);
        }
        TableDefinition table = catalog.find(arn);
        if (table == null) {
            // Sic: DynamoDB's message says "ResourcArn".
            throw new ResourceNotFoundException("Requested resource not found: ResourcArn: " + arn + " not found");
        }
        return table;
    }
}
