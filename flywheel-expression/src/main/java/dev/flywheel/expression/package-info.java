/**
 * DynamoDB's expression language, in two steps so that parsing can be cached by text.
 *
 * <ol>
 *   <li>{@link dev.flywheel.expression.ExpressionParser} turns ConditionExpression,
 *       FilterExpression, KeyConditionExpression, UpdateExpression and ProjectionExpression text
 *       into immutable trees ({@link dev.flywheel.expression.Condition},
 *       {@link dev.flywheel.expression.UpdateExpression},
 *       {@link dev.flywheel.expression.ProjectionExpression}) that still hold {@code #name} and
 *       {@code :value} placeholders, rejecting what the text alone makes invalid.</li>
 *   <li>{@link dev.flywheel.expression.Placeholders}, one per request, resolves each tree against
 *       the request's ExpressionAttributeNames and ExpressionAttributeValues, checks what needs
 *       them, and finally reports placeholders no expression used.</li>
 * </ol>
 *
 * Resolved trees are evaluated by {@link dev.flywheel.expression.ConditionEvaluator},
 * {@link dev.flywheel.expression.UpdateEvaluator} and {@link dev.flywheel.expression.Projection}.
 * Every error is a {@link dev.flywheel.model.DynamoDbException.ValidationException} with
 * DynamoDB's message.
 */
package dev.flywheel.expression;
