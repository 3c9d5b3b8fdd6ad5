package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Confirms an order: checks it, adds up the total, and answers like an API Gateway integration.
 *
 * Try the presets in events/OrderConfirmationJava: new-order succeeds, missing-email fails on purpose so you
 * can see how Lambda reports an error from a Java function. The event arrives as a Map (Lambda's Java runtime
 * binds the JSON with Jackson); the response Map is written back as JSON.
 */
public class OrderConfirmation implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    // Set up outside the handler: static fields are initialised once per execution environment (the cold
    // start, its Init Duration), not once per invocation.
    private static final String STORE_NAME = System.getenv().getOrDefault("STORE_NAME", "Example Store");
    private static final String CURRENCY = System.getenv().getOrDefault("CURRENCY", "USD");

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        LambdaLogger logger = context.getLogger();
        logger.log("Received order event for request " + context.getAwsRequestId());

        Object orderId = required(event, "order_id", "order_id");
        Map<?, ?> customer = object(required(event, "customer", "customer"), "customer");
        Object email = required(customer, "email", "customer.email");
        Object items = required(event, "items", "items");
        if (!(items instanceof List) || ((List<?>) items).isEmpty()) {
            throw new IllegalArgumentException("The order has no items: 'items' must be a non-empty list");
        }

        // Whole cents, not floating-point dollars: 0.1 + 0.2 must print as 0.30 on a receipt.
        long totalCents = 0;
        int itemCount = 0;
        List<?> lines = (List<?>) items;
        for (int index = 0; index < lines.size(); index++) {
            Map<?, ?> item = object(lines.get(index), "items[" + index + "]");
            long priceCents = Math.round(number(required(item, "price", "items[" + index + "].price")) * 100);
            int quantity = (int) number(required(item, "quantity", "items[" + index + "].quantity"));
            if (priceCents < 0 || quantity < 1) {
                throw new IllegalArgumentException("Item " + (index + 1) + " has a negative price or a quantity below 1");
            }
            Object name = item.get("name");
            logger.log(String.format("Item %d: %s x %d at %d.%02d", index + 1, name == null ? "?" : name, quantity,
                    priceCents / 100, priceCents % 100));
            totalCents += priceCents * quantity;
            itemCount += quantity;
        }
        String total = String.format("%d.%02d", totalCents / 100, totalCents % 100);

        if (System.getenv("EMAIL_API_TOKEN") != null) {
            logger.log("Sending the confirmation to " + email);
        } else {
            logger.log("EMAIL_API_TOKEN is not set: no confirmation email is sent");
        }

        logger.log("Order " + orderId + " confirmed: " + lines.size() + " items, total " + total + " " + CURRENCY);
        Map<String, Object> confirmation = new LinkedHashMap<>();
        confirmation.put("message", "Thank you for your order at " + STORE_NAME + "!");
        confirmation.put("order_id", orderId);
        confirmation.put("email", email);
        confirmation.put("item_count", itemCount);
        confirmation.put("total", total);
        confirmation.put("currency", CURRENCY);

        Map<String, Object> response = new LinkedHashMap<>();
        response.put("statusCode", 200);
        response.put("headers", Map.of("Content-Type", "application/json"));
        response.put("body", json(confirmation));
        return response;
    }

    /** container.get(key), or an exception naming the missing field. */
    private static Object required(Map<?, ?> container, String key, String label) {
        Object value = container == null ? null : container.get(key);
        if (value == null || "".equals(value)) {
            throw new IllegalArgumentException("Missing required field '" + label + "' in the order event");
        }
        return value;
    }

    private static Map<?, ?> object(Object value, String label) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("'" + label + "' must be an object");
        }
        return (Map<?, ?>) value;
    }

    private static double number(Object value) {
        return value instanceof Number ? ((Number) value).doubleValue() : Double.parseDouble(value.toString());
    }

    /** The body as compact JSON (strings and numbers are all it holds). */
    private static String json(Map<String, Object> fields) {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(quote(field.getKey())).append(':');
            Object value = field.getValue();
            out.append(value instanceof Number ? value.toString() : quote(String.valueOf(value)));
        }
        return out.append('}').toString();
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
