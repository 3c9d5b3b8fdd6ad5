package lambdaworkbench.runtime;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogFormat;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** LambdaLogger as Lambda's Java runtime gives it: in TEXT format a message as is (no newline added; a level
 * prefixes "[WARN] "), in JSON format one record per call; levels below AWS_LAMBDA_LOG_LEVEL dropped,
 * UNDEFINED never. With _LAMBDA_TELEMETRY_LOG_FD each call is one framed record (one log event), else bytes
 * go to stdout as they are. */
final class RuntimeLogger implements LambdaLogger {
    private static final int FRAME_MAGIC = 0xa55a0000;
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    final LogFormat format;
    private final LogLevel minimum;
    private final OutputStream telemetry;
    private final PrintStream stdout;
    private volatile String requestId;
    private volatile String tenantId;

    RuntimeLogger(LogFormat format, LogLevel minimum, OutputStream telemetry, PrintStream stdout) {
        this.format = format;
        this.minimum = minimum;
        this.telemetry = telemetry;
        this.stdout = stdout;
    }

    static RuntimeLogger fromEnvironment(PrintStream stdout) {
        LogFormat format = LogFormat.fromString(env("AWS_LAMBDA_LOG_FORMAT", "TEXT"));
        LogLevel level = LogLevel.fromString(env("AWS_LAMBDA_LOG_LEVEL", "UNDEFINED"));
        OutputStream telemetry = null;
        String fd = System.getenv("_LAMBDA_TELEMETRY_LOG_FD");
        if (fd != null) {
            try {
                telemetry = new FileOutputStream("/proc/self/fd/" + Integer.parseInt(fd.trim()));
            } catch (IOException | NumberFormatException e) {
                telemetry = null;  // as Lambda's runtime: without the descriptor, stdout
            }
        }
        return new RuntimeLogger(format, level, telemetry, stdout);
    }

    private static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? otherwise : value;
    }

    void setInvocation(String requestId, String tenantId) {
        this.requestId = requestId;
        this.tenantId = tenantId;
    }

    /** Runtime-internal messages (faults): ERROR in JSON format, UNDEFINED in TEXT. */
    void logFault(String text) {
        log(text, format == LogFormat.JSON ? LogLevel.ERROR : LogLevel.UNDEFINED);
    }

    @Override
    public void log(String message) {
        log(message, LogLevel.UNDEFINED);
    }

    @Override
    public void log(byte[] message) {
        log(message, LogLevel.UNDEFINED);
    }

    @Override
    public void log(String message, LogLevel level) {
        if (!enabled(level)) {
            return;
        }
        String text = formatted(message, level);
        emit(text == null ? "null".getBytes(StandardCharsets.UTF_8) : text.getBytes(StandardCharsets.UTF_8), level);
    }

    @Override
    public void log(byte[] message, LogLevel level) {
        if (enabled(level)) {
            emit(message == null ? "null".getBytes(StandardCharsets.UTF_8) : message, level);
        }
    }

    private boolean enabled(LogLevel level) {
        return level == LogLevel.UNDEFINED || level.ordinal() >= minimum.ordinal();
    }

    private String formatted(String message, LogLevel level) {
        if (format == LogFormat.JSON) {
            StringBuilder out = new StringBuilder("{");
            Json.field(out, "timestamp", TIMESTAMP.format(Instant.now()));
            Json.field(out, "message", message);
            Json.field(out, "level", level.name());
            Json.field(out, "AWSRequestId", requestId);
            Json.field(out, "tenantId", tenantId);
            return out.append("}\n").toString();
        }
        if (message == null) {
            return null;
        }
        return level == LogLevel.UNDEFINED ? message : "[" + level.name() + "] " + message;
    }

    private synchronized void emit(byte[] bytes, LogLevel level) {
        try {
            if (telemetry == null) {
                stdout.write(bytes);
                stdout.flush();
                return;
            }
            Instant now = Instant.now();
            ByteBuffer header = ByteBuffer.allocate(16);
            // Frame type: magic | level << 2 | timestamp present << 1 | format (FrameType in Lambda's client).
            header.putInt(FRAME_MAGIC | (level.ordinal() << 2) | (1 << 1) | format.ordinal());
            header.putInt(bytes.length);
            header.putLong(now.getEpochSecond() * 1_000_000L + now.getNano() / 1000);
            telemetry.write(header.array());
            telemetry.write(bytes);
            telemetry.flush();
        } catch (IOException e) {
            e.printStackTrace();
        }
    }
}
