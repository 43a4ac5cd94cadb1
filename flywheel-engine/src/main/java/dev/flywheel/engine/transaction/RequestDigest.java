package dev.flywheel.engine.transaction;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A SHA-256 digest of a request (a tree of model records, lists, maps and scalars) that two requests
 * share exactly when they are equal: what a ClientRequestToken's record keeps to tell a retry from a
 * different request, across restarts and servers. Maps are digested in key order, since JSON objects
 * are unordered; every value is tagged with its kind and length-prefixed, so no two trees collide by
 * concatenation.
 */
final class RequestDigest {
    private RequestDigest() {}

    /** A record class's name and component accessors, looked up once per class (reflection per call was slow). */
    private record RecordShape(byte[] name, List<MethodHandle> accessors) {}

    private static final ClassValue<RecordShape> SHAPES = new ClassValue<>() {
        @Override
        protected RecordShape computeValue(Class<?> type) {
            List<MethodHandle> accessors = new ArrayList<>();
            for (RecordComponent component : type.getRecordComponents()) {
                try {
                    accessors.add(MethodHandles.publicLookup().unreflect(component.getAccessor())
                            .asType(MethodType.methodType(Object.class, Object.class)));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("unreadable request field " + component, e);
                }
            }
            return new RecordShape(type.getName().getBytes(StandardCharsets.UTF_8), List.copyOf(accessors));
        }
    };

    static byte[] of(Object request) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        add(sha, request);
        return sha.digest();
    }

    private static void add(MessageDigest sha, Object value) {
        switch (value) {
            case null -> sha.update((byte) 0);
            case String s -> bytes(sha, (byte) 1, s.getBytes(StandardCharsets.UTF_8));
            case byte[] b -> bytes(sha, (byte) 2, b);
            case Boolean b -> sha.update(b ? (byte) 3 : (byte) 4);
            case Number n -> bytes(sha, (byte) 5, n.toString().getBytes(StandardCharsets.UTF_8));
            case List<?> list -> {
                sha.update((byte) 6);
                sha.update(ByteBuffer.allocate(4).putInt(list.size()).array());
                for (Object element : list) add(sha, element);
            }
            case Map<?, ?> map -> {
                sha.update((byte) 7);
                sha.update(ByteBuffer.allocate(4).putInt(map.size()).array());
                for (Map.Entry<String, ?> e : new TreeMap<>(stringKeys(map)).entrySet()) {
                    add(sha, e.getKey());
                    add(sha, e.getValue());
                }
            }
            case Record record -> {
                RecordShape shape = SHAPES.get(record.getClass());
                bytes(sha, (byte) 8, shape.name());
                for (MethodHandle accessor : shape.accessors()) {
                    try {
                        add(sha, accessor.invoke(record));
                    } catch (Throwable e) {
                        throw new IllegalStateException("unreadable request field of " + record.getClass(), e);
                    }
                }
            }
            default -> throw new IllegalArgumentException("cannot digest a " + value.getClass().getName());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> stringKeys(Map<?, ?> map) {
        return (Map<String, ?>) map; // the model's maps are keyed by names
    }

    private static void bytes(MessageDigest sha, byte kind, byte[] bytes) {
        sha.update(kind);
        sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        sha.update(bytes);
    }
}
