package lambdaworkbench.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.nio.charset.StandardCharsets;

/** Lambda's Runtime API (2018-06-01) over the JDK's own HTTP client, never through a proxy. */
final class RuntimeApiClient {
    static final class Invocation {
        String requestId;
        long deadlineMs;
        String functionArn;
        String traceId;
        String clientContext;
        String cognitoIdentity;
        String tenantId;
        byte[] event;
    }

    private final String base;

    RuntimeApiClient(String address) {
        this.base = "http://" + address + "/2018-06-01/runtime";
    }

    Invocation next() throws IOException {
        HttpURLConnection connection = open("/invocation/next");
        connection.setReadTimeout(0);
        int status = connection.getResponseCode();
        if (status != 200) {
            throw new IOException("GET /invocation/next answered " + status);
        }
        Invocation invocation = new Invocation();
        invocation.requestId = connection.getHeaderField("Lambda-Runtime-Aws-Request-Id");
        invocation.deadlineMs = parseLong(connection.getHeaderField("Lambda-Runtime-Deadline-Ms"));
        invocation.functionArn = connection.getHeaderField("Lambda-Runtime-Invoked-Function-Arn");
        invocation.traceId = connection.getHeaderField("Lambda-Runtime-Trace-Id");
        invocation.clientContext = connection.getHeaderField("Lambda-Runtime-Client-Context");
        invocation.cognitoIdentity = connection.getHeaderField("Lambda-Runtime-Cognito-Identity");
        invocation.tenantId = connection.getHeaderField("Lambda-Runtime-Aws-Tenant-Id");
        try (InputStream body = connection.getInputStream()) {
            invocation.event = body.readAllBytes();
        }
        return invocation;
    }

    void response(String requestId, byte[] payload) throws IOException {
        post("/invocation/" + requestId + "/response", payload, null);
    }

    void error(String requestId, String body, String errorType) throws IOException {
        post("/invocation/" + requestId + "/error", body.getBytes(StandardCharsets.UTF_8), errorType);
    }

    void initError(String body, String errorType) throws IOException {
        post("/init/error", body.getBytes(StandardCharsets.UTF_8), errorType);
    }

    private HttpURLConnection open(String path) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) java.net.URI.create(base + path).toURL().openConnection(Proxy.NO_PROXY);
        connection.setUseCaches(false);
        return connection;
    }

    private void post(String path, byte[] body, String errorType) throws IOException {
        HttpURLConnection connection = open(path);
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        // Not streamed: the JDK then sends the request line, headers and body in one write (a body sent
        // apart waits on Nagle's algorithm for the server's acknowledgement of the headers).
        connection.setRequestProperty("Content-Type", "application/json");
        if (errorType != null) {
            connection.setRequestProperty("Lambda-Runtime-Function-Error-Type", errorType);
        }
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body);
        }
        connection.getResponseCode();
        InputStream answer = connection.getErrorStream() != null ? connection.getErrorStream() : connection.getInputStream();
        if (answer != null) {
            answer.readAllBytes();  // read whole, so the connection is kept for the next request
            answer.close();
        }
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value);
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
