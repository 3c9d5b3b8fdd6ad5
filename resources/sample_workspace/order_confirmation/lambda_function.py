"""Confirms an order: checks it, adds up the total and emails the customer a confirmation with Amazon SES.

The second step of the sample's story: PlaceOrder stores a new order in the DynamoDB table Orders, and the
table's stream runs this function (its OrderPlaced event in workbench.json: INSERT records only, by
FilterCriteria) with a batch of records whose NewImage holds the order. Run locally, the email goes to the
workspace's local AWS (its Outbox), from the identity workbench.json declares (services.resources.OrderSender);
deployed, to SES from that verified identity.

Called directly with an order (the presets in events/OrderConfirmation: new-order and big-order succeed,
missing-email fails on purpose so you can see how Lambda reports an error), it confirms that one order.
"""

import html
import json
import logging
import os
from decimal import Decimal

import boto3

# Set up outside the handler: this runs once per execution environment (the cold start),
# not once per invocation.
ses = boto3.client("ses")
logger = logging.getLogger()
logger.setLevel(logging.INFO)

STORE_NAME = os.environ.get("STORE_NAME", "Example Store")
CURRENCY = os.environ.get("CURRENCY", "USD")
SENDER_EMAIL = os.environ.get("SENDER_EMAIL", "orders@example.com")


def lambda_handler(event, context):
    print(f"Received order event for request {context.aws_request_id}")
    if isinstance(event.get("Records"), list):
        return confirm_stream_records(event["Records"])
    return confirm_order(event)


def confirm_stream_records(records):
    """A batch from the Orders table's stream: each new order confirmed. An order that cannot be confirmed is
    logged and passed over (retrying would not mend it); a failure to send is the batch's error, so Lambda
    calls again with the same records."""
    confirmed = []
    for record in records:
        image = record.get("dynamodb", {}).get("NewImage", {})
        try:
            order = json.loads(image["order"]["S"])
            confirmed.append(json.loads(confirm_order(order)["body"])["order_id"])
        except (KeyError, ValueError) as error:
            logger.warning("Order in record %s not confirmed: %s", record.get("eventID"), error)
    return {"confirmed": confirmed}


def confirm_order(event):
    order_id = _require(event, "order_id")
    customer = _require(event, "customer")
    email = _require(customer, "email", "customer.email")
    items = _require(event, "items")
    if not isinstance(items, list) or not items:
        raise ValueError("The order has no items: 'items' must be a non-empty list")

    total = Decimal("0")
    for number, item in enumerate(items, start=1):
        # Decimal, not float: 0.1 + 0.2 must print as 0.30 on a receipt.
        price = Decimal(str(_require(item, "price", f"items[{number - 1}].price")))
        quantity = int(_require(item, "quantity", f"items[{number - 1}].quantity"))
        if price < 0 or quantity < 1:
            raise ValueError(f"Item {number} has a negative price or a quantity below 1")
        logger.info("Item %d: %s x %d at %s", number, item.get("name", "?"), quantity, price)
        total += price * quantity
    total = total.quantize(Decimal("0.01"))

    logger.info("Sending the confirmation to %s", email)
    sent = ses.send_email(
        Source=f"{STORE_NAME} <{SENDER_EMAIL}>",
        Destination={"ToAddresses": [email]},
        Message={
            "Subject": {"Data": f"Your order {order_id} is confirmed"},
            "Body": {
                "Text": {"Data": _confirmation_text(customer, order_id, items, total)},
                "Html": {"Data": _confirmation_html(customer, order_id, items, total)},
            },
        },
    )
    logger.info("Confirmation email sent: MessageId %s", sent["MessageId"])

    logger.info("Order %s confirmed: %d items, total %s %s", order_id, len(items), total, CURRENCY)
    confirmation = {
        "message": f"Thank you for your order at {STORE_NAME}!",
        "order_id": order_id,
        "email": email,
        "item_count": sum(int(item["quantity"]) for item in items),
        "total": f"{total}",
        "currency": CURRENCY,
    }
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(confirmation),
    }


def _confirmation_text(customer, order_id, items, total):
    lines = [f"Hello {customer.get('name', 'there')},", "", f"Thank you for your order {order_id} at {STORE_NAME}.", ""]
    lines += [f"  {item['quantity']} x {item.get('name', item.get('sku', '?'))} at {item['price']}" for item in items]
    lines += ["", f"Total: {total} {CURRENCY}"]
    return "\n".join(lines)


def _confirmation_html(customer, order_id, items, total):
    rows = "".join(f"<tr><td>{int(item['quantity'])}</td><td>{html.escape(str(item.get('name', '?')))}</td>"
                   f"<td>{item['price']}</td></tr>" for item in items)
    return (f"<p>Hello {html.escape(str(customer.get('name', 'there')))},</p>"
            f"<p>Thank you for your order <b>{html.escape(str(order_id))}</b> at {html.escape(STORE_NAME)}.</p>"
            f"<table>{rows}</table><p>Total: <b>{total} {CURRENCY}</b></p>")


def _require(container, key, label=None):
    """container[key], or a ValueError naming the missing field."""
    if not isinstance(container, dict) or container.get(key) in (None, ""):
        raise ValueError(f"Missing required field '{label or key}' in the order event")
    return container[key]
