package lambdaworkbench.runtime;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOError;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

/** The Java runtime's main: loads the handler (init), then runs Lambda's loop of GET /next, the handler,
 * POST response or error. Faults are reported and logged in the words and order of Amazon's Java runtime
 * client for java17 and later: an init fault is logged, posted to /init/error, then the process exits 1; an
 * invocation fault is posted, then logged (the log belongs to the invocation, which ends at the next /next).
 *
 * Arguments: the handler. The function's class path (its code folder or compiled classes, lib/*.jar sorted,
 * the layers' java/lib/*.jar sorted) comes in _LAMBDA_WORKBENCH_JAVA_CLASSPATH. */
public final class Bootstrap {
    private static final String TRACE_PROPERTY = "com.amazonaws.xray.traceHeader";

    private Bootstrap() {
    }

    public static void main(String[] args) throws Throwable {
        PrintStream stdout = new PrintStream(new FileOutputStream(FileDescriptor.out), true, "UTF-8");
        System.setOut(stdout);
        System.setErr(new PrintStream(new FileOutputStream(FileDescriptor.err), true, "UTF-8"));
        RuntimeLogger logger = RuntimeLogger.fromEnvironment(stdout);
        setRuntimeLogger(logger);
        RuntimeApiClient api = new RuntimeApiClient(System.getenv("AWS_LAMBDA_RUNTIME_API"));
        String handler = args.length > 0 ? args[0] : System.getenv("_HANDLER");

        // Parent first, as Lambda's customer class loader: the runtime's own API classes win over a copy
        // the function brings.
        ClassLoader customer = new URLClassLoader(classPath(), ClassLoader.getSystemClassLoader());
        Thread.currentThread().setContextClassLoader(customer);
        HandlerLoader.Invoker invoker;
        try {
            invoker = HandlerLoader.load(handler == null ? "" : handler, customer);
        } catch (UserFault fault) {
            logger.logFault(fault.reportable());
            api.initError(fault.errorBody(), "Runtime.BadFunctionCode");
            System.exit(1);
            return;
        }
        loop(api, logger, invoker);
    }

    private static void setRuntimeLogger(LambdaLogger logger) throws ReflectiveOperationException {
        Field field = LambdaRuntime.class.getDeclaredField("logger");
        field.setAccessible(true);
        field.set(null, logger);
    }

    private static URL[] classPath() throws Exception {
        List<URL> urls = new ArrayList<>();
        String path = System.getenv("_LAMBDA_WORKBENCH_JAVA_CLASSPATH");
        if (path == null) {
            path = System.getProperty("user.dir");
        }
        for (String part : path.split(File.pathSeparator)) {
            if (!part.isEmpty()) {
                urls.add(new File(part).toURI().toURL());
            }
        }
        return urls.toArray(new URL[0]);
    }

    private static void loop(RuntimeApiClient api, RuntimeLogger logger, HandlerLoader.Invoker invoker)
            throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream(1024);
        boolean exit = false;
        while (!exit) {
            RuntimeApiClient.Invocation invocation = api.next();
            if (invocation.traceId != null) {
                System.setProperty(TRACE_PROPERTY, invocation.traceId);
            } else {
                System.clearProperty(TRACE_PROPERTY);
            }
            logger.setInvocation(invocation.requestId, invocation.tenantId);
            UserFault fault = null;
            try {
                output.reset();
                InvocationContext context = new InvocationContext(invocation, logger);
                invoker.call(new ByteArrayInputStream(invocation.event), output, context);
                api.response(invocation.requestId, output.toByteArray());
                Thread.interrupted();  // a flag the handler left set must not break the next /next
            } catch (Throwable t) {
                UserFault.filter(t);
                fault = UserFault.of(t, false);
                // The loop ends on a fatal fault and on errors the JVM may not survive (OutOfMemoryError,
                // StackOverflowError, IOError): the next call starts a new environment.
                exit = t instanceof VirtualMachineError || t instanceof IOError || fault.fatal;
                if (t instanceof UserFault) {
                    api.error(invocation.requestId, fault.errorBody(), "Runtime.BadFunctionCode");
                } else {
                    api.error(invocation.requestId, Json.errorBody(UserFault.messageOf(t), t.getClass().getName(),
                            frames(t)), "Runtime.UserException");
                }
            } finally {
                if (fault != null) {
                    logger.logFault(fault.reportable());
                }
            }
        }
        System.exit(1);
    }

    private static String[] frames(Throwable t) {
        StackTraceElement[] trace = t.getStackTrace();
        String[] frames = new String[trace.length];
        for (int i = 0; i < trace.length; i++) {
            frames[i] = trace[i].toString();
        }
        return frames;
    }
}
