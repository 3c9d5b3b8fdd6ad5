package lambdaworkbench.codec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Binds user types to JSON with the mapper Lambda's Java runtime configures (aws-lambda-java-serialization's
 * JacksonFactory): lenient parser, NON_NULL, standard bean naming, no creator detection, unknown properties
 * ignored, single values accepted as arrays; java.time and Optional written as JavaTimeModule and Jdk8Module
 * write them (Instant as decimal seconds, LocalDate and LocalDateTime as arrays, Optional unwrapped).
 *
 * The aws-lambda-java-events types Lambda names get its rules for them (EventRules, S3Events).
 *
 * Loaded in a class loader of its own by the runtime; called through read(byte[], Type) and write(Object, Type). */
public final class JacksonCodec {
    private final ObjectMapper mapper = createMapper();
    private final Map<Type, ObjectReader> readers = new ConcurrentHashMap<>();
    private final Map<Type, ObjectWriter> writers = new ConcurrentHashMap<>();
    private final S3Events s3 = new S3Events(mapper);

    /** Builds the reader and writer of a type ahead (during init, as Lambda's runtime does). */
    public void prepare(Type type) {
        if (!isS3(type)) {
            reader(type);
            writer(type);
        }
    }

    public Object read(byte[] json, Type type) throws Exception {
        if (isS3(type)) {
            return s3.read(json, (Class<?>) type);
        }
        return reader(type).readValue(json);
    }

    public byte[] write(Object value, Type type) throws Exception {
        if (value != null && isS3(type)) {
            return s3.write(value);
        }
        return writer(type).writeValueAsBytes(value);
    }

    private ObjectReader reader(Type type) {
        return readers.computeIfAbsent(type, t -> mapperOf(t).readerFor(mapper.constructType(t)));
    }

    private ObjectWriter writer(Type type) {
        return writers.computeIfAbsent(type, t -> mapperOf(t).writerFor(mapper.constructType(t)));
    }

    /** An aws-lambda-java-events class on Lambda's list gets its own mapper (EventRules); every other type
     * the plain one. */
    private ObjectMapper mapperOf(Type type) {
        return type instanceof Class && EventRules.isEvent((Class<?>) type)
                ? EventRules.mapperFor((Class<?>) type, mapper) : mapper;
    }

    private static boolean isS3(Type type) {
        return type instanceof Class && EventRules.S3_EVENTS.contains(((Class<?>) type).getName());
    }

    @SuppressWarnings("deprecation")
    static ObjectMapper createMapper() {
        JsonFactory factory = JsonFactory.builder()
                .enable(JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER)
                .enable(JsonReadFeature.ALLOW_LEADING_ZEROS_FOR_NUMBERS)
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
                .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
                .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
                .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
                .disable(JsonReadFeature.ALLOW_YAML_COMMENTS)
                .enable(JsonWriteFeature.QUOTE_FIELD_NAMES)
                .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
                .disable(JsonWriteFeature.ESCAPE_NON_ASCII)
                .disable(JsonWriteFeature.WRITE_NUMBERS_AS_STRINGS)
                .build();
        factory.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
        factory.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        factory.enable(JsonGenerator.Feature.IGNORE_UNKNOWN);
        factory.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
        factory.disable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
        ObjectMapper mapper = JsonMapper.builder(factory)
                .enable(MapperFeature.ALLOW_FINAL_FIELDS_AS_MUTATORS)
                .enable(MapperFeature.AUTO_DETECT_FIELDS)
                .enable(MapperFeature.AUTO_DETECT_GETTERS)
                .enable(MapperFeature.AUTO_DETECT_IS_GETTERS)
                .enable(MapperFeature.AUTO_DETECT_SETTERS)
                .enable(MapperFeature.CAN_OVERRIDE_ACCESS_MODIFIERS)
                .enable(MapperFeature.USE_STD_BEAN_NAMING)
                .disable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
                .disable(MapperFeature.AUTO_DETECT_CREATORS)
                .disable(MapperFeature.INFER_PROPERTY_MUTATORS)
                .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .disable(MapperFeature.USE_GETTERS_AS_SETTERS)
                .disable(MapperFeature.USE_STATIC_TYPING)
                .disable(MapperFeature.REQUIRE_SETTERS_FOR_GETTERS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(SerializationFeature.EAGER_SERIALIZER_FETCH)
                .disable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .enable(DeserializationFeature.ACCEPT_EMPTY_ARRAY_AS_NULL_OBJECT)
                .enable(DeserializationFeature.ACCEPT_EMPTY_STRING_AS_NULL_OBJECT)
                .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
                .enable(DeserializationFeature.UNWRAP_SINGLE_VALUE_ARRAYS)
                .disable(DeserializationFeature.FAIL_ON_IGNORED_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        mapper.setSerializationInclusion(JsonInclude.Include.NON_NULL);
        mapper.registerModule(timeModule());
        return mapper;
    }

    private static SimpleModule timeModule() {
        SimpleModule module = new SimpleModule("lambda-time");
        module.addSerializer(Instant.class, new StdSerializer<Instant>(Instant.class) {
            @Override
            public void serialize(Instant value, JsonGenerator out, SerializerProvider provider) throws IOException {
                out.writeNumber(new BigDecimal(value.getEpochSecond() + "." + String.format("%09d", value.getNano())));
            }
        });
        module.addDeserializer(Instant.class, new StdDeserializer<Instant>(Instant.class) {
            @Override
            public Instant deserialize(JsonParser in, DeserializationContext context) throws IOException {
                if (in.currentToken() == JsonToken.VALUE_STRING) {
                    return Instant.parse(in.getText().trim());
                }
                BigDecimal seconds = in.getDecimalValue();
                long whole = seconds.longValue();
                int nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).intValue();
                return Instant.ofEpochSecond(whole, nanos);
            }
        });
        module.addSerializer(LocalDate.class, new StdSerializer<LocalDate>(LocalDate.class) {
            @Override
            public void serialize(LocalDate value, JsonGenerator out, SerializerProvider provider) throws IOException {
                out.writeStartArray();
                out.writeNumber(value.getYear());
                out.writeNumber(value.getMonthValue());
                out.writeNumber(value.getDayOfMonth());
                out.writeEndArray();
            }
        });
        module.addDeserializer(LocalDate.class, new StdDeserializer<LocalDate>(LocalDate.class) {
            @Override
            public LocalDate deserialize(JsonParser in, DeserializationContext context) throws IOException {
                if (in.currentToken() == JsonToken.START_ARRAY) {
                    int[] parts = in.readValueAs(int[].class);
                    return LocalDate.of(parts[0], parts[1], parts[2]);
                }
                return LocalDate.parse(in.getText().trim());
            }
        });
        module.addSerializer(LocalDateTime.class, new StdSerializer<LocalDateTime>(LocalDateTime.class) {
            @Override
            public void serialize(LocalDateTime value, JsonGenerator out, SerializerProvider provider)
                    throws IOException {
                out.writeStartArray();
                out.writeNumber(value.getYear());
                out.writeNumber(value.getMonthValue());
                out.writeNumber(value.getDayOfMonth());
                out.writeNumber(value.getHour());
                out.writeNumber(value.getMinute());
                if (value.getSecond() > 0 || value.getNano() > 0) {
                    out.writeNumber(value.getSecond());
                    if (value.getNano() > 0) {
                        out.writeNumber(value.getNano());
                    }
                }
                out.writeEndArray();
            }
        });
        module.addDeserializer(LocalDateTime.class, new StdDeserializer<LocalDateTime>(LocalDateTime.class) {
            @Override
            public LocalDateTime deserialize(JsonParser in, DeserializationContext context) throws IOException {
                if (in.currentToken() == JsonToken.START_ARRAY) {
                    int[] p = in.readValueAs(int[].class);
                    return LocalDateTime.of(p[0], p[1], p[2], p[3], p[4], p.length > 5 ? p[5] : 0, p.length > 6 ? p[6] : 0);
                }
                return LocalDateTime.parse(in.getText().trim());
            }
        });
        @SuppressWarnings({"rawtypes", "unchecked"})
        StdSerializer<Optional> optional = new StdSerializer<Optional>(Optional.class) {
            @Override
            public void serialize(Optional value, JsonGenerator out, SerializerProvider provider) throws IOException {
                provider.defaultSerializeValue(value.orElse(null), out);
            }
        };
        module.addSerializer(Optional.class, optional);
        return module;
    }
}
