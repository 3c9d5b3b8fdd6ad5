package lambdaworkbench.runtime;

import java.io.File;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** JSON for the runtime: the codec that binds user types (Jackson, configured as Lambda's serializer, in a
 * class loader of its own so a function's own Jackson neither shadows nor is shadowed by it: Lambda
 * relocates its copy), and the small documents the runtime writes itself (error bodies, JSON log records). */
final class Json {
    private static Object codec;
    private static Method read;
    private static Method write;
    private static Method prepare;

    private Json() {
    }

    /** Loads the codec from the paths in -Dlambdaworkbench.codec.path (its classes, then Jackson's jars). */
    static synchronized void load() throws Exception {
        if (codec != null) {
            return;
        }
        String path = System.getProperty("lambdaworkbench.codec.path", "");
        List<URL> urls = new ArrayList<>();
        for (String part : path.split(File.pathSeparator)) {
            if (!part.isEmpty()) {
                urls.add(new File(part).toURI().toURL());
            }
        }
        ClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
        Class<?> type = Class.forName("lambdaworkbench.codec.JacksonCodec", true, loader);
        codec = type.getConstructor().newInstance();
        read = type.getMethod("read", byte[].class, Type.class);
        write = type.getMethod("write", Object.class, Type.class);
        prepare = type.getMethod("prepare", Type.class);
    }

    /** The codec loaded and the type's reader and writer built now (init), not on the first call. */
    static void prepare(Type type) {
        try {
            load();
            prepare.invoke(codec, type);
        } catch (Throwable t) {
            // Reported when the type is used, in the words of that call.
        }
    }

    static Object read(byte[] json, Type type) throws Throwable {
        load();
        try {
            return read.invoke(codec, json, type);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    static byte[] write(Object value, Type type) throws Throwable {
        load();
        try {
            return (byte[]) write.invoke(codec, value, type);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readObject(String json) throws Throwable {
        Object value = read(json.getBytes(StandardCharsets.UTF_8), Map.class);
        return value instanceof Map ? (Map<String, Object>) value : null;
    }

    /** Lambda's error body: errorMessage, errorType, stackTrace, each left out when null. */
    static String errorBody(String message, String type, String[] stackTrace) {
        StringBuilder out = new StringBuilder("{");
        field(out, "errorMessage", message);
        field(out, "errorType", type);
        if (stackTrace != null) {
            separate(out);
            out.append("\"stackTrace\":[");
            for (int i = 0; i < stackTrace.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                string(out, stackTrace[i]);
            }
            out.append(']');
        }
        return out.append('}').toString();
    }

    static void field(StringBuilder out, String name, String value) {
        if (value == null) {
            return;
        }
        separate(out);
        string(out, name);
        out.append(':');
        string(out, value);
    }

    private static void separate(StringBuilder out) {
        if (out.length() > 1) {
            out.append(',');
        }
    }

    /** A JSON string as Gson writes it with HTML escaping off: quotes, backslashes, control characters and
     * the two line separators escaped, everything else as is. */
    static void string(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                default:
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}
