// Confirms an order: checks it, adds up the total and emails the customer a confirmation with Amazon SES.
// Lambda's Node.js runtime provides the AWS SDK for JavaScript v3: nothing to package. Run locally, the email
// goes to the workspace's Outbox.
//
// Its OrderUploaded event in workbench.json runs it for each order uploaded as a JSON file under orders/ in the
// bucket OrderUploads (try it: upload events/OrderConfirmationNode/new-order.json from the AWS dock, or
//   aws s3 cp events/OrderConfirmationNode/new-order.json s3://workbench-books-orders/orders/ORD-2001.json
// with the exports `lambda-workbench services` prints).
// Called directly with an order (the presets in events/OrderConfirmationNode: new-order succeeds, missing-email
// fails on purpose so you can see how Lambda reports an error from a Node.js function), it confirms that one.

import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';

// Set up outside the handler: this runs once per execution environment (the cold start),
// not once per invocation.
const ses = new SESClient();
const s3 = new S3Client();
const STORE_NAME = process.env.STORE_NAME ?? 'Example Store';
const CURRENCY = process.env.CURRENCY ?? 'USD';
const SENDER_EMAIL = process.env.SENDER_EMAIL ?? 'orders@example.com';

export const handler = async (event, context) => {
  console.log(`Received order event for request ${context.awsRequestId}`);
  if (Array.isArray(event.Records)) {
    return confirmUploadedOrders(event.Records);
  }
  return confirmOrder(event);
};

// S3 event records: each object is an order as JSON. Keys arrive URL-encoded, spaces as '+'.
async function confirmUploadedOrders(records) {
  const confirmed = [];
  for (const record of records) {
    const bucket = record.s3.bucket.name;
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    console.info(`Reading the order s3://${bucket}/${key}`);
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const order = JSON.parse(await object.Body.transformToString());
    confirmed.push(JSON.parse((await confirmOrder(order)).body).order_id);
  }
  return { confirmed };
}

async function confirmOrder(event) {
  const orderId = required(event, 'order_id');
  const customer = required(event, 'customer');
  const email = required(customer, 'email', 'customer.email');
  const items = required(event, 'items');
  if (!Array.isArray(items) || items.length === 0) {
    throw new Error("The order has no items: 'items' must be a non-empty list");
  }

  // Whole cents, not floating-point dollars: 0.1 + 0.2 must print as 0.30 on a receipt.
  let totalCents = 0;
  items.forEach((item, index) => {
    const priceCents = Math.round(Number(required(item, 'price', `items[${index}].price`)) * 100);
    const quantity = Number.parseInt(required(item, 'quantity', `items[${index}].quantity`), 10);
    if (priceCents < 0 || !(quantity >= 1)) {
      throw new Error(`Item ${index + 1} has a negative price or a quantity below 1`);
    }
    console.info(`Item ${index + 1}: ${item.name ?? '?'} x ${quantity} at ${(priceCents / 100).toFixed(2)}`);
    totalCents += priceCents * quantity;
  });
  const total = (totalCents / 100).toFixed(2);

  console.info(`Sending the confirmation to ${email}`);
  try {
    const sent = await ses.send(new SendEmailCommand({
      Source: `${STORE_NAME} <${SENDER_EMAIL}>`,
      Destination: { ToAddresses: [email] },
      Message: {
        Subject: { Data: `Your order ${orderId} is confirmed` },
        Body: { Text: { Data: confirmationText(customer, orderId, items, total) } },
      },
    }));
    console.info(`Confirmation email sent: MessageId ${sent.MessageId}`);
  } catch (error) {
    console.error(`The confirmation email to ${email} was not sent: ${error.name}: ${error.message}`);
    throw error;
  }

  console.info(`Order ${orderId} confirmed: ${items.length} items, total ${total} ${CURRENCY}`);
  const confirmation = {
    message: `Thank you for your order at ${STORE_NAME}!`,
    order_id: orderId,
    email,
    item_count: items.reduce((count, item) => count + Number.parseInt(item.quantity, 10), 0),
    total,
    currency: CURRENCY,
  };
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(confirmation),
  };
}

function confirmationText(customer, orderId, items, total) {
  const lines = items.map((item) => `  ${item.quantity} x ${item.name ?? item.sku ?? '?'} at ${item.price}`);
  return [`Hello ${customer.name ?? 'there'},`, '', `Thank you for your order ${orderId} at ${STORE_NAME}.`, '',
    ...lines, '', `Total: ${total} ${CURRENCY}`].join('\n');
}

// container[key], or an Error naming the missing field.
function required(container, key, label = key) {
  const value = container?.[key];
  if (typeof container !== 'object' || value === undefined || value === null || value === '') {
    throw new Error(`Missing required field '${label}' in the order event`);
  }
  return value;
}
