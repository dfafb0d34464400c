/**
 * The pizza flow written by hand as an XState machine: the same states, transitions, message
 * rendering, answer validation and retries as the compiled example, with inline
 * implementations. The benchmark's baseline for "raw XState".
 */
import { assign, createActor, createMachine, type SnapshotFrom } from "xstate";

interface Message {
  type: string;
  nodeId: string;
  text?: string;
}

interface Context {
  customerName?: string;
  size?: string;
  phone?: string;
  retries: number;
}

type Event = { type: "conversation.start" } | { type: "user.text"; text: string };

const sizes = [
  { label: "Small (25 cm)", value: "small" },
  { label: "Medium (30 cm)", value: "medium" },
  { label: "Large (35 cm)", value: "large" },
];

function pickSize(text: string): string | undefined {
  const wanted = text.trim().toLowerCase();
  const found = sizes.find((size) => size.label.toLowerCase() === wanted || size.value === wanted);
  if (found) return found.value;
  return /^\d$/.test(wanted) ? sizes[Number(wanted) - 1]?.value : undefined;
}

function phoneOf(text: string): string | undefined {
  const digits = text.replace(/[\s().\-/]/g, "");
  if (digits.startsWith("+")) return /^\+[1-9]\d{6,14}$/.test(digits) ? digits : undefined;
  const national = digits.length === 11 && digits.startsWith("1") ? digits.slice(1) : digits;
  return /^[2-9]\d{9}$/.test(national) ? `+1${national}` : undefined;
}

const textOf = (event: Event) => (event.type === "user.text" ? event.text : "");

/** Builds the machine; `out` receives the messages of the current turn. */
export function createRawPizzaMachine(out: { messages: Message[] }) {
  const say = (nodeId: string, text: string) => {
    out.messages.push({ type: "typing", nodeId }, { type: "text", nodeId, text });
  };
  const ask = (nodeId: string, text: string) => {
    out.messages.push({ type: "typing", nodeId }, { type: "ask", nodeId, text });
  };
  return createMachine({
    types: {} as { context: Context; events: Event },
    id: "pizza",
    initial: "boot",
    context: { retries: 0 },
    states: {
      boot: { on: { "conversation.start": "greeting" } },
      greeting: {
        entry: () => say("greeting", "Welcome to Parley Pizza! 🍕 I can take your order in a minute."),
        always: "askName",
      },
      askName: {
        entry: [assign({ retries: 0 }), () => ask("ask-name", "What's your name?")],
        on: {
          "user.text": [
            {
              guard: ({ event }) => {
                const name = textOf(event).trim();
                return name.length >= 1 && name.length <= 80;
              },
              target: "askSize",
              actions: assign({ customerName: ({ event }) => textOf(event).trim() }),
            },
            {
              guard: ({ context }) => context.retries < 2,
              actions: [
                assign({ retries: ({ context }) => context.retries + 1 }),
                () => ask("ask-name", "Please tell me your name."),
              ],
            },
            { target: "inputFailed" },
          ],
        },
      },
      askSize: {
        entry: [
          assign({ retries: 0 }),
          ({ context }) =>
            ask("ask-size", `Nice to meet you, ${context.customerName}! Which size would you like?`),
        ],
        on: {
          "user.text": [
            {
              guard: ({ event }) => pickSize(textOf(event)) !== undefined,
              target: "askPhone",
              actions: assign({ size: ({ event }) => pickSize(textOf(event)) }),
            },
            {
              guard: ({ context }) => context.retries < 2,
              actions: [
                assign({ retries: ({ context }) => context.retries + 1 }),
                () => ask("ask-size", "Please pick one of the sizes: small, medium or large."),
              ],
            },
            { target: "inputFailed" },
          ],
        },
      },
      askPhone: {
        entry: [assign({ retries: 0 }), () => ask("ask-phone", "What phone number can we reach you at?")],
        on: {
          "user.text": [
            {
              guard: ({ event }) => phoneOf(textOf(event)) !== undefined,
              target: "checkSize",
              actions: assign({ phone: ({ event }) => phoneOf(textOf(event)) }),
            },
            {
              guard: ({ context }) => context.retries < 3,
              actions: [
                assign({ retries: ({ context }) => context.retries + 1 }),
                () =>
                  ask(
                    "ask-phone",
                    "That doesn't look like a phone number. Please try again, e.g. +1 555 123 4567.",
                  ),
              ],
            },
            { target: "inputFailed" },
          ],
        },
      },
      checkSize: {
        always: [
          { guard: ({ context }) => context.size === "large", target: "largeBonus" },
          { target: "confirmation" },
        ],
      },
      largeBonus: {
        entry: () => say("large-bonus", "Great choice! Large pizzas come with free garlic bread."),
        always: "confirmation",
      },
      confirmation: {
        entry: ({ context }) => {
          say(
            "confirmation",
            `Thanks ${context.customerName}! Your ${context.size} pizza is in the oven. We'll text ${context.phone} when it's on its way.`,
          );
          out.messages.push({ type: "quick_replies", nodeId: "confirmation" });
        },
        always: "orderPlaced",
      },
      orderPlaced: { type: "final", entry: () => out.messages.push({ type: "end", nodeId: "order-placed" }) },
      inputFailed: {
        entry: () =>
          say("input-failed", "Sorry, I couldn't understand that. Please call us at +1 555 0100 to order."),
        always: "abandoned",
      },
      abandoned: {
        type: "final",
        entry: () => out.messages.push({ type: "end", nodeId: "order-abandoned" }),
      },
    },
  });
}

/** One turn like the runtime does it: restore the persisted snapshot, send, persist as JSON. */
export function rawTurn(
  machine: ReturnType<typeof createRawPizzaMachine>,
  out: { messages: Message[] },
  persisted: string | null,
  event: Event,
): { snapshot: string; messages: Message[] } {
  out.messages = [];
  const actor = createActor(
    machine,
    persisted ? { snapshot: JSON.parse(persisted) as SnapshotFrom<typeof machine> } : undefined,
  );
  actor.start();
  actor.send(event);
  const snapshot = JSON.stringify(actor.getPersistedSnapshot());
  actor.stop();
  return { snapshot, messages: out.messages };
}
