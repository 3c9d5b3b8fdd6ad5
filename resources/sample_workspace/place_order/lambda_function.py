"""Places an order: the first step of the sample's story. `POST /orders` through the front door (its PlaceOrder
event in workbench.json) with the order as the body; the order is stored in the DynamoDB table Orders and the
caller gets 201 at once. The table's stream then runs OrderConfirmation (its OrderPlaced event: INSERT records
only), which emails the customer with SES. Run locally, the table, its stream and the email are the
workspace's local AWS: the Outbox shows the email, the History both runs, linked by their trace.

    lambda-workbench serve, then: curl -X POST localhost:3000/orders -d @events/OrderConfirmation/new-order.json

Or run the preset events/PlaceOrder/new-order.json (an HTTP API request) from the window.
"""

import base64
import json
import os
import time

import boto3

# Once per execution environment (the cold start), not once per call.
orders = boto3.client("dynamodb")
ORDERS_TABLE = os.environ.get("ORDERS_TABLE", "Orders")


def lambda_handler(event, context):
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        body = base64.b64decode(body).decode("utf-8")
    try:
        order = json.loads(body) if "requestContext" in event else event
    except ValueError:
        return _answer(400, {"message": "The request body is not JSON: send the order as a JSON document"})
    problem = _problem(order)
    if problem:
        print(f"Order refused: {problem}")
        return _answer(400, {"message": problem})
    try:
        # The whole order is kept as JSON beside its key: OrderConfirmation reads it from the stream's NewImage.
        orders.put_item(
            TableName=ORDERS_TABLE,
            Item={"order_id": {"S": order["order_id"]}, "email": {"S": order["customer"]["email"]},
                  "placed_at": {"N": str(int(time.time()))}, "order": {"S": json.dumps(order)}},
            ConditionExpression="attribute_not_exists(order_id)")
    except orders.exceptions.ConditionalCheckFailedException:
        return _answer(409, {"message": f"Order {order['order_id']} was placed already"})
    print(f"Order {order['order_id']} placed in {ORDERS_TABLE}")
    return _answer(201, {"order_id": order["order_id"], "status": "placed"})


def _problem(order):
    if not isinstance(order, dict) or not order.get("order_id"):
        return "Missing required field 'order_id' in the order"
    customer = order.get("customer")
    if not isinstance(customer, dict) or not customer.get("email"):
        return "Missing required field 'customer.email' in the order"
    if not isinstance(order.get("items"), list) or not order["items"]:
        return "The order has no items: 'items' must be a non-empty list"
    return None


def _answer(status, document):
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(document)}
