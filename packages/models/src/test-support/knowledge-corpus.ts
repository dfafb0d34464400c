import type { DocumentUpload } from "../knowledge/knowledge-base";
import { makePdf } from "./pdf-fixture";

/** A small help-centre corpus in every supported format, for retrieval quality tests. */
export function helpCentreCorpus(): Array<DocumentUpload & { title: string }> {
  return [
    {
      title: "Shipping",
      format: "markdown",
      content: `# Shipping

## Delivery times
Standard delivery takes 3 to 5 business days within the country. Express delivery arrives the next business day when ordered before 2 pm.

## Shipping costs
Shipping is free for orders over 50 euros. Below that, standard shipping costs 4.90 euros and express shipping costs 9.90 euros.

## International shipping
We ship to all countries of the European Union and to Switzerland and Norway. International parcels take 5 to 10 business days and customs duties are paid by the recipient.`,
    },
    {
      title: "Returns and refunds",
      format: "html",
      content: `<html><head><title>Returns and refunds</title></head><body>
<h1>Returns</h1><p>You can return any item within 30 days of delivery. Items must be unused and in their original packaging.
To start a return, open your order in your account and choose "Return item"; print the prepaid label.</p>
<h2>Refunds</h2><p>Refunds are issued to the original payment method within 5 business days after the returned parcel reaches our warehouse.
Shipping costs are refunded only when the whole order is returned.</p>
<h2>Exchanges</h2><p>To exchange a size or colour, return the item and place a new order; exchanges are not processed directly.</p>
</body></html>`,
    },
    {
      title: "Warranty",
      format: "pdf",
      content: makePdf(
        [
          [
            "Warranty",
            "All electronic devices carry a two year manufacturer warranty from the date of purchase.",
            "The warranty covers manufacturing defects but not accidental damage, water damage or normal wear.",
          ],
          [
            "Warranty claims",
            "To make a warranty claim, send the device with its invoice to our repair centre.",
            "Repairs under warranty are free and take about two weeks.",
          ],
        ],
        "Warranty",
      ),
    },
    {
      title: "Account and password",
      format: "text",
      content: `Creating an account
You can create an account with your email address at checkout or from the sign-up page.

Resetting your password
If you forgot your password, click "Forgot password" on the sign-in page. We email you a reset link that is valid for one hour.

Deleting your account
To delete your account and personal data, write to privacy@example.com. Deletion is completed within 30 days.`,
    },
    {
      title: "Payment methods",
      format: "markdown",
      content: `# Payment methods

We accept Visa, Mastercard and American Express credit cards, PayPal, Apple Pay and bank transfer.

Invoices: business customers can pay by invoice within 14 days after a credit check.

Your card is charged when the order ships, not when it is placed.`,
    },
    {
      title: "Store hours and contact",
      format: "html",
      content: `<h1>Contact us</h1><p>Our customer service team answers the phone Monday to Friday from 9 am to 6 pm and Saturday from 10 am to 2 pm.</p>
<p>Our flagship store in Berlin is open Monday to Saturday from 10 am to 8 pm and closed on Sundays and public holidays.</p>
<p>You can also reach us by chat on the website at any time.</p>`,
    },
  ];
}

/** Questions about the corpus with the document that answers each. */
export const HELP_CENTRE_QUESTIONS: ReadonlyArray<{ question: string; expected: string }> = [
  { question: "How long does standard delivery take?", expected: "Shipping" },
  { question: "Is shipping free for big orders?", expected: "Shipping" },
  { question: "Do you ship to Switzerland?", expected: "Shipping" },
  { question: "How many days do I have to return an item?", expected: "Returns and refunds" },
  { question: "When will I get my refund?", expected: "Returns and refunds" },
  { question: "Can I exchange a size?", expected: "Returns and refunds" },
  { question: "How long is the warranty on devices?", expected: "Warranty" },
  { question: "Does the warranty cover water damage?", expected: "Warranty" },
  { question: "I forgot my password, what do I do?", expected: "Account and password" },
  { question: "How do I delete my account?", expected: "Account and password" },
  { question: "Which credit cards do you accept?", expected: "Payment methods" },
  { question: "When is my card charged?", expected: "Payment methods" },
  { question: "Is the Berlin store open on Sunday?", expected: "Store hours and contact" },
  {
    question: "What are the opening hours of customer service by phone?",
    expected: "Store hours and contact",
  },
];

/** Questions the corpus cannot answer (the knowledge node must take its no-answer branch). */
export const UNANSWERABLE_QUESTIONS: readonly string[] = [
  "Do you sell garden furniture?",
  "Who won the football match yesterday?",
];
