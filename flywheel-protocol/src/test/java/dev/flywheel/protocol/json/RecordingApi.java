package dev.flywheel.protocol.json;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.flywheel.model.DynamoDbApi;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * A DynamoDbApi for codec tests: every operation records its request and answers an empty output,
 * so a test sees exactly what the codec handed to the API.
 */
final class RecordingApi {
    private Object lastRequest;
    private final DynamoDbApi api = (DynamoDbApi) Proxy.newProxyInstance(
            DynamoDbApi.class.getClassLoader(), new Class<?>[] {DynamoDbApi.class}, (proxy, method, args) -> {
                lastRequest = args[0];
                return emptyOf(method);
            });

    /** Runs {@code operation} with the JSON request and returns the JSON response. */
    String invoke(String operation, String json) {
        return invoke(operation, json.getBytes(UTF_8));
    }

    String invoke(String operation, byte[] body) {
        lastRequest = null;
        byte[] response = DynamoDbOperations.named(operation).invoke(api, body, 0, body.length);
        return new String(response, UTF_8);
    }

    /** The request the last operation received; null when it never reached the API. */
    @SuppressWarnings("unchecked")
    <T> T lastRequest() {
        return (T) lastRequest;
    }

    private static Object emptyOf(Method method) throws ReflectiveOperationException {
        Class<?> output = method.getReturnType();
        if (output == Void.class) {
            return null;
        }
        try {
            Object builder = output.getMethod("builder").invoke(null);
            return builder.getClass().getMethod("build").invoke(builder);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
