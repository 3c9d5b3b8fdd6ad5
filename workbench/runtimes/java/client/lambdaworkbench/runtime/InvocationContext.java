package lambdaworkbench.runtime;

import com.amazonaws.services.lambda.runtime.Client;
import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.util.Map;

/** The Context of one invocation, from the /next headers and the function's variables. */
final class InvocationContext implements Context {
    private final RuntimeApiClient.Invocation invocation;
    private final LambdaLogger logger;
    private final CognitoIdentity identity;
    private final ClientContext clientContext;

    InvocationContext(RuntimeApiClient.Invocation invocation, LambdaLogger logger) {
        this.invocation = invocation;
        this.logger = logger;
        this.identity = cognito(invocation.cognitoIdentity);
        this.clientContext = client(invocation.clientContext);
    }

    private static String env(String name) {
        return System.getenv(name);
    }

    @Override public String getAwsRequestId() { return invocation.requestId; }
    @Override public String getLogGroupName() { return env("AWS_LAMBDA_LOG_GROUP_NAME"); }
    @Override public String getLogStreamName() { return env("AWS_LAMBDA_LOG_STREAM_NAME"); }
    @Override public String getFunctionName() { return env("AWS_LAMBDA_FUNCTION_NAME"); }
    @Override public String getFunctionVersion() { return env("AWS_LAMBDA_FUNCTION_VERSION"); }
    @Override public String getInvokedFunctionArn() { return invocation.functionArn; }
    @Override public CognitoIdentity getIdentity() { return identity; }
    @Override public ClientContext getClientContext() { return clientContext; }
    @Override public LambdaLogger getLogger() { return logger; }
    @Override public String getTenantId() { return invocation.tenantId; }
    @Override public String getXrayTraceId() { return invocation.traceId; }

    @Override
    public int getRemainingTimeInMillis() {
        long left = invocation.deadlineMs - System.currentTimeMillis();
        return left > 0 ? (int) left : 0;
    }

    @Override
    public int getMemoryLimitInMB() {
        try {
            return Integer.parseInt(env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"));
        } catch (RuntimeException e) {
            return 128;
        }
    }

    private static CognitoIdentity cognito(String header) {
        Map<String, Object> fields = parse(header);
        if (fields == null) {
            return null;
        }
        String id = text(fields.get("cognitoIdentityId"));
        String pool = text(fields.get("cognitoIdentityPoolId"));
        return new CognitoIdentity() {
            @Override public String getIdentityId() { return id; }
            @Override public String getIdentityPoolId() { return pool; }
        };
    }

    @SuppressWarnings("unchecked")
    private static ClientContext client(String header) {
        Map<String, Object> fields = parse(header);
        if (fields == null) {
            return null;
        }
        Object clientFields = fields.get("client");
        Map<String, Object> c = clientFields instanceof Map ? (Map<String, Object>) clientFields : Map.of();
        Client client = clientFields == null ? null : new Client() {
            @Override public String getInstallationId() { return text(c.get("installation_id")); }
            @Override public String getAppTitle() { return text(c.get("app_title")); }
            @Override public String getAppVersionName() { return text(c.get("app_version_name")); }
            @Override public String getAppVersionCode() { return text(c.get("app_version_code")); }
            @Override public String getAppPackageName() { return text(c.get("app_package_name")); }
        };
        Map<String, String> custom = strings(fields.get("custom"));
        Map<String, String> environment = strings(fields.get("env"));
        return new ClientContext() {
            @Override public Client getClient() { return client; }
            @Override public Map<String, String> getCustom() { return custom; }
            @Override public Map<String, String> getEnvironment() { return environment; }
        };
    }

    private static Map<String, Object> parse(String header) {
        if (header == null || header.isEmpty()) {
            return null;
        }
        try {
            return Json.readObject(header);
        } catch (Throwable t) {
            return null;
        }
    }

    private static String text(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    private static Map<String, String> strings(Object value) {
        if (!(value instanceof Map)) {
            return null;
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        ((Map<?, ?>) value).forEach((k, v) -> out.put(String.valueOf(k), text(v)));
        return out;
    }
}
