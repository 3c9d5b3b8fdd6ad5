package lambdaworkbench.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;

/** S3 events as Lambda's Java runtime reads and writes them (aws-lambda-java-serialization's
 * S3EventSerializer, which bypasses Jackson's bean binding): the event's classes built through their
 * constructors and read through their getters, by name, from the events library's S3EventNotification
 * (aws-lambda-java-events 3+) or else the S3 SDK's. What that serializer does with JSON is kept: a missing
 * text field reads as "" and a missing size as 0, a missing object as one with every field empty; null
 * values are left out of what it writes. */
final class S3Events {
    private static final String V3 = "com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification";
    private static final String V2 = "com.amazonaws.services.s3.event.S3EventNotification";

    private final ObjectMapper mapper;

    S3Events(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    Object read(byte[] json, Class<?> event) throws Exception {
        JsonNode root = mapper.readTree(json);
        JsonNode records = root == null ? null : root.get("Records");
        Model model = Model.of(event.getClassLoader());
        List<Object> built = new ArrayList<>();
        if (records != null && records.isArray()) {
            for (JsonNode record : records) {
                built.add(model.record(record.isObject() ? record : empty()));
            }
        }
        return construct(event, new Class<?>[] {List.class}, built);
    }

    byte[] write(Object value) throws Exception {
        Model model = Model.of(value.getClass().getClassLoader());
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode records = root.putArray("Records");
        for (Object record : (List<?>) call(value, "getRecords")) {
            records.add(model.json(record));
        }
        return mapper.writeValueAsBytes(root);
    }

    private static ObjectNode empty() {
        return JsonNodeFactory.instance.objectNode();
    }

    private static JsonNode object(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        return node != null && node.isObject() ? node : empty();
    }

    private static String text(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        return node == null || node.isNull() ? "" : node.isValueNode() ? node.asText() : node.toString();
    }

    private static Object construct(Class<?> type, Class<?>[] parameters, Object... arguments) throws Exception {
        try {
            return type.getConstructor(parameters).newInstance(arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
    }

    private static Object call(Object target, String getter) throws Exception {
        try {
            return target.getClass().getMethod(getter).invoke(target);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
    }

    private static void put(ObjectNode node, String field, Object value) {
        if (value instanceof String) {
            node.put(field, (String) value);
        } else if (value instanceof Long) {
            node.put(field, (Long) value);
        } else if (value instanceof JsonNode) {
            node.set(field, (JsonNode) value);
        }
    }

    /** The S3EventNotification classes of one library, found in the function's class loader. */
    private static final class Model {
        final ClassLoader loader;
        final Class<?> record;
        final Class<?> entity;
        final Class<?> bucket;
        final Class<?> object;
        final Class<?> requestParameters;
        final Class<?> responseElements;
        final Class<?> userIdentity;

        private Model(String base, ClassLoader loader) throws ClassNotFoundException {
            this.loader = loader;
            record = Class.forName(base + "$S3EventNotificationRecord", false, loader);
            entity = Class.forName(base + "$S3Entity", false, loader);
            bucket = Class.forName(base + "$S3BucketEntity", false, loader);
            object = Class.forName(base + "$S3ObjectEntity", false, loader);
            requestParameters = Class.forName(base + "$RequestParametersEntity", false, loader);
            responseElements = Class.forName(base + "$ResponseElementsEntity", false, loader);
            userIdentity = Class.forName(base + "$UserIdentityEntity", false, loader);
        }

        static Model of(ClassLoader loader) throws ClassNotFoundException {
            try {
                return new Model(V3, loader);
            } catch (ClassNotFoundException e) {
                return new Model(V2, loader);
            }
        }

        Object record(JsonNode json) throws Exception {
            Object parameters = construct(requestParameters, new Class<?>[] {String.class},
                    text(object(json, "requestParameters"), "sourceIPAddress"));
            JsonNode response = object(json, "responseElements");
            Object elements = construct(responseElements, new Class<?>[] {String.class, String.class},
                    text(response, "x-amz-id-2"), text(response, "x-amz-request-id"));
            return construct(record, new Class<?>[] {String.class, String.class, String.class, String.class,
                    String.class, requestParameters, responseElements, entity, userIdentity},
                    text(json, "awsRegion"), text(json, "eventName"), text(json, "eventSource"),
                    text(json, "eventTime"), text(json, "eventVersion"), parameters, elements,
                    entity(object(json, "s3")), identity(object(json, "userIdentity")));
        }

        private Object entity(JsonNode json) throws Exception {
            JsonNode bucketJson = object(json, "bucket");
            Object owner = construct(bucket, new Class<?>[] {String.class, userIdentity, String.class},
                    text(bucketJson, "name"), identity(object(bucketJson, "ownerIdentity")), text(bucketJson, "arn"));
            return construct(entity, new Class<?>[] {String.class, bucket, object, String.class},
                    text(json, "configurationId"), owner, s3Object(object(json, "object")),
                    text(json, "s3SchemaVersion"));
        }

        private Object s3Object(JsonNode json) throws Exception {
            JsonNode size = json.get("size");
            Long bytes = size == null ? 0L : size.asLong(0L);
            try {
                return construct(object, new Class<?>[] {String.class, Long.class, String.class, String.class,
                        String.class}, text(json, "key"), bytes, text(json, "eTag"), text(json, "versionId"),
                        text(json, "sequencer"));
            } catch (NoSuchMethodException e) {  // the S3 SDK's older model has no sequencer
                return construct(object, new Class<?>[] {String.class, Long.class, String.class, String.class},
                        text(json, "key"), bytes, text(json, "eTag"), text(json, "versionId"));
            }
        }

        private Object identity(JsonNode json) throws Exception {
            return construct(userIdentity, new Class<?>[] {String.class}, text(json, "principalId"));
        }

        JsonNode json(Object value) throws Exception {
            ObjectNode node = empty();
            put(node, "awsRegion", call(value, "getAwsRegion"));
            put(node, "eventName", call(value, "getEventName"));
            put(node, "eventSource", call(value, "getEventSource"));
            Object time = call(value, "getEventTime");
            put(node, "eventTime", time == null ? null : EventRules.jodaText(time, loader));
            put(node, "eventVersion", call(value, "getEventVersion"));
            Object parameters = call(value, "getRequestParameters");
            if (parameters != null) {
                ObjectNode json = empty();
                put(json, "sourceIPAddress", call(parameters, "getSourceIPAddress"));
                put(node, "requestParameters", json);
            }
            Object elements = call(value, "getResponseElements");
            if (elements != null) {
                ObjectNode json = empty();
                put(json, "x-amz-id-2", call(elements, "getxAmzId2"));
                put(json, "x-amz-request-id", call(elements, "getxAmzRequestId"));
                put(node, "responseElements", json);
            }
            Object s3 = call(value, "getS3");
            if (s3 != null) {
                put(node, "s3", entityJson(s3));
            }
            put(node, "userIdentity", identityJson(call(value, "getUserIdentity")));
            return node;
        }

        private JsonNode entityJson(Object s3) throws Exception {
            ObjectNode node = empty();
            put(node, "configurationId", call(s3, "getConfigurationId"));
            Object owner = call(s3, "getBucket");
            if (owner != null) {
                ObjectNode json = empty();
                put(json, "name", call(owner, "getName"));
                put(json, "ownerIdentity", identityJson(call(owner, "getOwnerIdentity")));
                put(json, "arn", call(owner, "getArn"));
                put(node, "bucket", json);
            }
            Object item = call(s3, "getObject");
            if (item != null) {
                ObjectNode json = empty();
                put(json, "key", call(item, "getKey"));
                put(json, "size", call(item, "getSizeAsLong"));
                put(json, "eTag", call(item, "geteTag"));
                put(json, "versionId", call(item, "getVersionId"));
                try {  // the S3 SDK's older model has neither
                    put(json, "urlDecodedKey", call(item, "getUrlDecodedKey"));
                    put(json, "sequencer", call(item, "getSequencer"));
                } catch (NoSuchMethodException ignored) {
                    // as Lambda's: left out
                }
                put(node, "object", json);
            }
            put(node, "s3SchemaVersion", call(s3, "getS3SchemaVersion"));
            return node;
        }

        private JsonNode identityJson(Object identity) throws Exception {
            if (identity == null) {
                return null;
            }
            ObjectNode node = empty();
            put(node, "principalId", call(identity, "getPrincipalId"));
            return node;
        }
    }
}
