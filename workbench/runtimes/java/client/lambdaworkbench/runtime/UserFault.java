package lambdaworkbench.runtime;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** A fault of the function (not of the runtime): its message, exception class and trace, and whether it
 * ends the environment. Its words and log text are those of Amazon's Java runtime client (UserFault). */
final class UserFault extends RuntimeException {
    private static final String OWN_PACKAGE = UserFault.class.getPackage().getName();

    final String msg;
    final String exception;
    final String trace;
    final boolean fatal;

    UserFault(String msg, String exception, String trace, boolean fatal) {
        super(msg, null, false, false);
        this.msg = msg;
        this.exception = exception;
        this.trace = trace;
        this.fatal = fatal;
    }

    static UserFault of(String msg) {
        return new UserFault(msg, null, null, false);
    }

    static UserFault of(Throwable t, boolean fatal) {
        if (t instanceof UserFault) {
            return (UserFault) t;
        }
        return new UserFault(messageOf(t), t.getClass().getName(), trace(t), fatal);
    }

    static UserFault initError(Throwable t, String className) {
        return new UserFault("Error loading class " + className + (t.getMessage() == null ? "" : ": " + t.getMessage()),
                t.getClass().getName(), trace(t), true);
    }

    static UserFault classNotFound(Throwable t, String className) {
        return new UserFault("Class not found: " + className, t.getClass().getName(), trace(t), false);
    }

    static String messageOf(Throwable t) {
        return t.getLocalizedMessage() == null ? t.getClass().getName() : t.getLocalizedMessage();
    }

    static String trace(Throwable t) {
        filter(t);
        StringWriter text = new StringWriter();
        t.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    /** Cuts every trace (causes and suppressed too) at the first frame of this runtime, as Lambda's does. */
    static <T extends Throwable> T filter(T t) {
        filter(t, Collections.newSetFromMap(new IdentityHashMap<>()));
        return t;
    }

    private static void filter(Throwable t, Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return;
        }
        StackTraceElement[] frames = t.getStackTrace();
        for (int i = 0; i < frames.length; i++) {
            if (frames[i].getClassName().startsWith(OWN_PACKAGE)) {
                StackTraceElement[] kept = new StackTraceElement[i];
                System.arraycopy(frames, 0, kept, 0, i);
                t.setStackTrace(kept);
                break;
            }
        }
        filter(t.getCause(), seen);
        for (Throwable suppressed : t.getSuppressed()) {
            filter(suppressed, seen);
        }
    }

    /** The text logged for the fault: "msg: exception\ntrace\n", or "msg\n" without either. */
    String reportable() {
        if (exception != null || trace != null) {
            return msg + ": " + (exception == null ? "" : exception) + "\n" + (trace == null ? "" : trace) + "\n";
        }
        return msg + "\n";
    }

    /** The error body posted for a fault: message and type, never a stack trace. */
    String errorBody() {
        return Json.errorBody(msg, exception, null);
    }
}
