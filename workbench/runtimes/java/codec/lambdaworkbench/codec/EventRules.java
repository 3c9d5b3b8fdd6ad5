package lambdaworkbench.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which aws-lambda-java-events types Lambda's Java runtime serializes by rules of their own, and the mapper
 * it gives them (facts from aws-lambda-java-serialization 1.4.0, LambdaEventSerializers): only a handler's
 * input or output class whose name is on the list gets them; the mix-ins of the class and of the nested
 * classes named for it; java.util.Date as decimal seconds (DateModule) and Joda's DateTime as ISO text
 * (DateTimeModule, from the function's own joda-time); upper camel case for SNSEvent. S3 events are read and
 * written by S3Events instead. Every other type, events not on the list included (API Gateway v2, ALB),
 * goes through the plain mapper with its bean names. */
final class EventRules {
    private static final String EVENTS = "com.amazonaws.services.lambda.runtime.events.";
    private static final String DYNAMODB_MODELS = EVENTS + "models.dynamodb.";
    private static final String SDK_DYNAMODB = "com.amazonaws.services.dynamodbv2.model.";

    static final Set<String> S3_EVENTS = Set.of(EVENTS + "S3Event", EVENTS + "models.s3.S3EventNotification",
            "com.amazonaws.services.s3.event.S3EventNotification");

    static final Set<String> SUPPORTED = Set.of(
            EVENTS + "APIGatewayProxyRequestEvent", EVENTS + "APIGatewayProxyResponseEvent",
            EVENTS + "CloudFormationCustomResourceEvent", EVENTS + "CloudFrontEvent", EVENTS + "CloudWatchLogsEvent",
            EVENTS + "CodeCommitEvent", EVENTS + "CognitoEvent", EVENTS + "ConfigEvent", EVENTS + "ConnectEvent",
            EVENTS + "DynamodbEvent", EVENTS + "DynamodbTimeWindowEvent", EVENTS + "IoTButtonEvent",
            EVENTS + "KinesisEvent", EVENTS + "KinesisTimeWindowEvent", EVENTS + "KinesisFirehoseEvent",
            EVENTS + "LambdaDestinationEvent", EVENTS + "LexEvent", EVENTS + "ScheduledEvent",
            EVENTS + "SecretsManagerRotationEvent", "com.amazonaws.services.s3.event.S3EventNotification",
            EVENTS + "models.s3.S3EventNotification", EVENTS + "S3Event", EVENTS + "SNSEvent", EVENTS + "SQSEvent");

    private static final Map<String, Class<?>> MIXINS = Map.ofEntries(
            Map.entry(EVENTS + "CloudFormationCustomResourceEvent", EventMixins.CustomResource.class),
            Map.entry(EVENTS + "CloudFrontEvent", EventMixins.Records.class),
            Map.entry(EVENTS + "CloudWatchLogsEvent", EventMixins.CloudWatchLogs.class),
            Map.entry(EVENTS + "CodeCommitEvent", EventMixins.Records.class),
            Map.entry(EVENTS + "CodeCommitEvent$Record", EventMixins.CodeCommitRecord.class),
            Map.entry(EVENTS + "ConnectEvent", EventMixins.Connect.class),
            Map.entry(EVENTS + "ConnectEvent$Details", EventMixins.ConnectDetails.class),
            Map.entry(EVENTS + "ConnectEvent$ContactData", EventMixins.ConnectContactData.class),
            Map.entry(EVENTS + "ConnectEvent$CustomerEndpoint", EventMixins.ConnectEndpoint.class),
            Map.entry(EVENTS + "ConnectEvent$Queue", EventMixins.ConnectQueue.class),
            Map.entry(EVENTS + "ConnectEvent$SystemEndpoint", EventMixins.ConnectEndpoint.class),
            Map.entry(EVENTS + "DynamodbEvent", EventMixins.Records.class),
            Map.entry(EVENTS + "DynamodbEvent$DynamodbStreamRecord", EventMixins.DynamodbStreamRecord.class),
            Map.entry(SDK_DYNAMODB + "StreamRecord", EventMixins.StreamRecord.class),
            Map.entry(DYNAMODB_MODELS + "StreamRecord", EventMixins.StreamRecord.class),
            Map.entry(SDK_DYNAMODB + "AttributeValue", EventMixins.AttributeValue.class),
            Map.entry(DYNAMODB_MODELS + "AttributeValue", EventMixins.AttributeValue.class),
            Map.entry(EVENTS + "DynamodbTimeWindowEvent", EventMixins.TimeWindow.class),
            Map.entry(EVENTS + "KinesisEvent", EventMixins.Records.class),
            Map.entry(EVENTS + "KinesisEvent$Record", EventMixins.KinesisRecord.class),
            Map.entry(EVENTS + "KinesisTimeWindowEvent", EventMixins.TimeWindow.class),
            Map.entry(EVENTS + "ScheduledEvent", EventMixins.Scheduled.class),
            Map.entry(EVENTS + "SecretsManagerRotationEvent", EventMixins.SecretsManagerRotation.class),
            Map.entry(EVENTS + "SNSEvent", EventMixins.Records.class),
            Map.entry(EVENTS + "SNSEvent$SNSRecord", EventMixins.SnsRecord.class),
            Map.entry(EVENTS + "SQSEvent", EventMixins.Records.class),
            Map.entry(EVENTS + "SQSEvent$SQSMessage", EventMixins.SqsMessage.class));

    /** The nested classes whose mix-ins come with an event; a pair is (the events library's, the SDK's). */
    private static final Map<String, List<String[]>> NESTED = Map.of(
            EVENTS + "CodeCommitEvent", List.<String[]>of(new String[] {EVENTS + "CodeCommitEvent$Record"}),
            EVENTS + "ConnectEvent", List.of(new String[] {EVENTS + "ConnectEvent$Details"},
                    new String[] {EVENTS + "ConnectEvent$ContactData"},
                    new String[] {EVENTS + "ConnectEvent$CustomerEndpoint"},
                    new String[] {EVENTS + "ConnectEvent$Queue"}, new String[] {EVENTS + "ConnectEvent$SystemEndpoint"}),
            EVENTS + "DynamodbEvent", dynamodbNested(),
            EVENTS + "DynamodbTimeWindowEvent", dynamodbNested(),
            EVENTS + "KinesisEvent", List.<String[]>of(new String[] {EVENTS + "KinesisEvent$Record"}),
            EVENTS + "SNSEvent", List.<String[]>of(new String[] {EVENTS + "SNSEvent$SNSRecord"}),
            EVENTS + "SQSEvent", List.<String[]>of(new String[] {EVENTS + "SQSEvent$SQSMessage"}));

    private EventRules() {
    }

    private static List<String[]> dynamodbNested() {
        return List.of(new String[] {DYNAMODB_MODELS + "AttributeValue", SDK_DYNAMODB + "AttributeValue"},
                new String[] {DYNAMODB_MODELS + "StreamRecord", SDK_DYNAMODB + "StreamRecord"},
                new String[] {EVENTS + "DynamodbEvent$DynamodbStreamRecord"});
    }

    static boolean isEvent(Class<?> type) {
        return SUPPORTED.contains(type.getName());
    }

    /** The mapper Lambda gives this event class: a copy of the base one with the event's rules added. */
    static ObjectMapper mapperFor(Class<?> event, ObjectMapper base) {
        ObjectMapper mapper = base.copy();
        String name = event.getName();
        if (MIXINS.containsKey(name)) {
            mapper.addMixIn(event, MIXINS.get(name));
        }
        ClassLoader loader = event.getClassLoader();
        for (String[] nested : NESTED.getOrDefault(name, List.of())) {
            for (String candidate : nested) {
                Class<?> type = load(candidate, loader);
                if (type != null) {
                    mapper.addMixIn(type, MIXINS.get(candidate));
                    break;
                }
            }
        }
        mapper.registerModule(dateModule());
        SimpleModule joda = jodaModule(loader);
        if (joda != null) {
            mapper.registerModule(joda);
        }
        if (name.equals(EVENTS + "SNSEvent")) {
            mapper.setPropertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE);
        }
        return mapper;
    }

    static Class<?> load(String name, ClassLoader loader) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /** java.util.Date as fractional seconds since the epoch, written as a double (1428537600000 ms ->
     * 1.4285376E9); 0 reads as null. */
    private static SimpleModule dateModule() {
        SimpleModule module = new SimpleModule("lambda-event-date");
        module.addSerializer(Date.class, new JsonSerializer<Date>() {
            @Override
            public void serialize(Date value, JsonGenerator out, SerializerProvider provider) throws IOException {
                out.writeNumber(value.getTime() / 1000.0);
            }
        });
        module.addDeserializer(Date.class, new JsonDeserializer<Date>() {
            @Override
            public Date deserialize(JsonParser in, DeserializationContext context) throws IOException {
                double seconds = in.getValueAsDouble();
                return seconds == 0.0 ? null : new Date((long) (seconds * 1000.0));
            }
        });
        return module;
    }

    /** org.joda.time.DateTime from the function's own joda-time (as Lambda resolves it), written with
     * ISODateTimeFormat.dateTime() and read with DateTime.parse; null when the function has no joda-time. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static SimpleModule jodaModule(ClassLoader loader) {
        Class dateTime = load("org.joda.time.DateTime", loader);
        if (dateTime == null) {
            return null;
        }
        SimpleModule module = new SimpleModule("lambda-event-joda");
        module.addSerializer(dateTime, new JsonSerializer<Object>() {
            @Override
            public void serialize(Object value, JsonGenerator out, SerializerProvider provider) throws IOException {
                out.writeString(jodaText(value, loader));
            }
        });
        module.addDeserializer(dateTime, new JsonDeserializer<Object>() {
            @Override
            public Object deserialize(JsonParser in, DeserializationContext context) throws IOException {
                try {
                    return dateTime.getMethod("parse", String.class).invoke(null, in.getValueAsString());
                } catch (ReflectiveOperationException e) {
                    throw new IOException(e.getCause() != null ? e.getCause() : e);
                }
            }
        });
        return module;
    }

    /** A Joda instant as ISODateTimeFormat.dateTime() prints it; any other value as its text. */
    static String jodaText(Object value, ClassLoader loader) {
        Class<?> format = load("org.joda.time.format.ISODateTimeFormat", loader);
        Class<?> instant = load("org.joda.time.ReadableInstant", loader);
        if (format == null || instant == null || !instant.isInstance(value)) {
            return String.valueOf(value);
        }
        try {
            Object formatter = format.getMethod("dateTime").invoke(null);
            Method print = formatter.getClass().getMethod("print", instant);
            return (String) print.invoke(formatter, value);
        } catch (ReflectiveOperationException e) {
            return String.valueOf(value);
        }
    }
}
