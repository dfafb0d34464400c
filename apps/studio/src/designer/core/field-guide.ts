import type { NodeKind } from "@parley/flow-schema";

/**
 * How a field is edited when its schema type alone would say it badly: a declared variable (picker
 * that can declare a new one), a duration in milliseconds (amount + ms/s/min), a node of this flow,
 * a flow of this bot, or a name=value list (headers, query).
 */
export type FieldEditor = "variable" | "variable-path" | "duration-ms" | "node" | "flow";

/** The words of one inspector field: label, help text, and words for its choices. */
export interface FieldGuide {
  readonly label: string;
  readonly help: string;
  readonly editor?: FieldEditor;
  /** Words for an enum's values or a union's variants (by tag, or by JSON type / `const:` value). */
  readonly options?: Readonly<Record<string, string>>;
  /** For a list: what one item is called ("Quick reply" -> "Quick reply 1"). */
  readonly item?: string;
}

const TIMEOUT: FieldGuide = {
  label: "Give up after",
  help: "How long to wait for an answer before taking the error path.",
  editor: "duration-ms",
};
const MODEL_ROUTE: FieldGuide = {
  label: "Model",
  help: "Which model route answers (set up on the Models page). Empty: the flow's default model.",
};

/**
 * The inspector's words for every field of every node kind rendered by the schema form (the
 * condition node has its own editor), keyed by path with list indexes as `*`. A test walks each
 * kind's schema and checks every field and choice has words here, so a new field cannot appear raw.
 */
export const fieldGuides: Readonly<Partial<Record<NodeKind, Readonly<Record<string, FieldGuide>>>>> = {
  start: {},
  message: {
    text: { label: "Message", help: "What the bot says. Type {{ to insert a variable." },
    image: { label: "Image", help: "A picture shown with the message." },
    "image.url": { label: "Image address", help: "The https:// address of the picture." },
    "image.alt": { label: "Description", help: "Read aloud by screen readers; shown if the image fails." },
    card: { label: "Card", help: "A boxed item with a title, picture and buttons." },
    "card.title": { label: "Title", help: "The card's heading." },
    "card.subtitle": { label: "Subtitle", help: "A line under the title." },
    "card.imageUrl": { label: "Image address", help: "The https:// address of the card's picture." },
    "card.buttons": { label: "Buttons", help: "Up to 5 buttons on the card.", item: "Button" },
    "card.buttons.*": { label: "Button", help: "Opens a link, or sends its value as the visitor's answer." },
    "card.buttons.*.label": { label: "Button text", help: "What the button says." },
    "card.buttons.*.url": { label: "Opens link", help: "A web address opened in a new tab." },
    "card.buttons.*.value": {
      label: "Sends",
      help: "What the visitor answers by tapping it (default: the button text).",
    },
    quickReplies: {
      label: "Suggested replies",
      help: "Buttons under the message; tapping one answers the next question.",
      item: "Suggested reply",
    },
    "quickReplies.*": { label: "Suggested reply", help: "One button under the message." },
    "quickReplies.*.label": { label: "Button text", help: "What the button says." },
    "quickReplies.*.value": {
      label: "Sends",
      help: "What is answered when tapped (default: the button text).",
    },
  },
  ask: {
    prompt: { label: "Question", help: "What the bot asks. Type {{ to insert a variable." },
    input: {
      label: "Answer type",
      help: "What kind of answer to expect; anything else gets the retry message.",
      options: {
        text: "Free text",
        number: "Number",
        email: "E-mail address",
        phone: "Phone number",
        date: "Date",
        choice: "One of some buttons",
      },
    },
    "input.minLength": { label: "At least (characters)", help: "Shorter answers are asked again." },
    "input.maxLength": { label: "At most (characters)", help: "Longer answers are asked again." },
    "input.integer": { label: "Whole numbers only", help: "Refuse answers such as 2.5." },
    "input.min": { label: "Smallest allowed", help: "Lower answers are asked again." },
    "input.max": { label: "Largest allowed", help: "Higher answers are asked again." },
    "input.defaultCountry": {
      label: "Country when none is typed",
      help: "Two letters such as US or FR, used when the visitor leaves out the country code.",
    },
    "input.multiple": { label: "Several may be picked", help: "The answer is then a list." },
    "input.options": {
      label: "Buttons",
      help: "The choices offered; typed answers match them too.",
      item: "Button",
    },
    "input.options.*": { label: "Button", help: "One choice." },
    "input.options.*.id": {
      label: "Name of its path",
      help: "Names this choice's output on the canvas; letters, digits, - and _.",
    },
    "input.options.*.label": { label: "Button text", help: "What the visitor sees." },
    "input.options.*.value": {
      label: "Saved as",
      help: "What is stored when picked (default: the button text).",
    },
    saveTo: {
      label: "Save the answer in",
      help: "The variable that receives the answer.",
      editor: "variable",
    },
    retryPrompt: {
      label: "When the answer is not valid, say",
      help: "Sent before asking again, after the reason (default: the question again).",
    },
    maxRetries: {
      label: "Times to ask again",
      help: "After this many invalid answers the flow takes the error path.",
    },
  },
  // The condition node is edited by its own editor; these words name its parts in version diffs.
  condition: {
    groups: { label: "Branches", help: "Tested in order; the first that matches is taken.", item: "Branch" },
    "groups.*.id": { label: "Branch name", help: "The name of the branch's output." },
    "groups.*.label": { label: "Title", help: "Shown on the canvas." },
    "groups.*.match": { label: "Match", help: "All rules, or any one of them." },
    "groups.*.rules": { label: "Rules", help: "What is tested.", item: "Rule" },
    "groups.*.rules.*.variable": { label: "Variable", help: "What is tested." },
    "groups.*.rules.*.operator": { label: "Comparison", help: "How it is tested." },
    "groups.*.rules.*.value": { label: "Value", help: "What it is compared with." },
  },
  "set-variable": {
    assignments: { label: "Changes", help: "Applied in order; later ones see earlier ones.", item: "Change" },
    "assignments.*": { label: "Change", help: "One variable and its new value." },
    "assignments.*.variable": { label: "Set", help: "The variable to change.", editor: "variable" },
    "assignments.*.value": {
      label: "To",
      help: "A fixed value, a calculation, or text with variables.",
      options: {
        literal: "A fixed value",
        expression: "A calculation (JSONata)",
        template: "Text with variables",
      },
    },
    "assignments.*.value.value": {
      label: "Value",
      help: "The value to store; it must fit the variable's type.",
      options: {
        string: "Text",
        number: "Number",
        boolean: "Yes / no",
        null: "Nothing",
        array: "List (JSON)",
        object: "Record (JSON)",
      },
    },
    "assignments.*.value.expression": {
      label: "Calculation",
      help: "A JSONata expression over the variables, e.g. price * quantity.",
    },
    "assignments.*.value.template": { label: "Text", help: "Type {{ to insert a variable." },
  },
  http: {
    integrationId: {
      label: "Integration",
      help: "A saved connection (Integrations page) that adds the address and keys.",
    },
    method: {
      label: "Action",
      help: "GET reads, POST creates, PUT/PATCH change, DELETE removes.",
      options: {
        GET: "GET (read)",
        POST: "POST (create)",
        PUT: "PUT (replace)",
        PATCH: "PATCH (change)",
        DELETE: "DELETE (remove)",
      },
    },
    url: {
      label: "Address",
      help: "https://... (or a path when an integration is chosen). Type {{ for variables.",
    },
    operation: { label: "Connector action", help: "The integration's ready-made action to run." },
    inputs: { label: "Action inputs", help: "Name and value of each input, as JSON." },
    headers: { label: "Headers", help: 'Extra request headers as JSON, e.g. { "X-Shop": "{{ shop }}" }.' },
    query: { label: "Query parameters", help: 'Added after ? in the address, as JSON: { "page": "1" }.' },
    body: {
      label: "Body",
      help: "What is sent with POST, PUT or PATCH.",
      options: { template: "Text with variables", expression: "JSON built by a calculation" },
    },
    "body.contentType": {
      label: "Format",
      help: "How the body is sent.",
      options: { json: "JSON", text: "Plain text", form: "Form fields" },
    },
    "body.template": {
      label: "Body text",
      help: "Type {{ to insert a variable; JSON values are escaped for you.",
    },
    "body.expression": { label: "Calculation", help: "A JSONata expression giving the JSON to send." },
    graphql: { label: "GraphQL", help: "Send a GraphQL query instead of a body." },
    "graphql.query": { label: "Query", help: "The GraphQL query or mutation." },
    "graphql.variables": {
      label: "Variables",
      help: 'A JSONata expression giving the variables, e.g. { "id": orderId }.',
    },
    "graphql.operationName": {
      label: "Operation name",
      help: "Which operation of the query to run, when it has several.",
    },
    responseMapping: {
      label: "Save from the response",
      help: "Copy parts of the answer into variables.",
      item: "Saved value",
    },
    "responseMapping.*": { label: "Saved value", help: "One part of the answer and where it goes." },
    "responseMapping.*.variable": {
      label: "Save in",
      help: "The variable that receives it.",
      editor: "variable",
    },
    "responseMapping.*.expression": {
      label: "Take",
      help: "A JSONata path into { status, headers, body }, e.g. body.order.status.",
    },
    saveStatusTo: {
      label: "Save the status code in",
      help: "200, 404, ... into a number variable.",
      editor: "variable",
    },
    timeoutMs: TIMEOUT,
  },
  llm: {
    prompt: { label: "Instructions", help: "What to ask the model. Type {{ to insert a variable." },
    systemPrompt: { label: "Role and rules", help: "How the model should behave (tone, what not to say)." },
    historyWindow: {
      label: "Messages of context",
      help: "How many earlier messages of the conversation the model sees.",
    },
    modelRoute: MODEL_ROUTE,
    mode: {
      label: "What to do with the answer",
      help: "Reply to the visitor, or fill variables silently.",
      options: { reply: "Reply to the visitor", extract: "Fill variables from the conversation" },
    },
    "mode.stream": { label: "Show it as it is written", help: "Words appear as the model writes them." },
    "mode.saveTo": {
      label: "Also save the reply in",
      help: "A variable that keeps the reply.",
      editor: "variable",
    },
    "mode.fields": {
      label: "Variables to fill",
      help: "What the model should find in the conversation.",
      item: "Variable",
    },
    "mode.fields.*": { label: "Variable to fill", help: "One value the model looks for." },
    "mode.fields.*.variable": { label: "Variable", help: "Where the value is saved.", editor: "variable" },
    "mode.fields.*.type": {
      label: "Kind of value",
      help: "A value of another kind takes the error path.",
      options: {
        string: "Text",
        number: "Number",
        boolean: "Yes / no",
        date: "Date",
        list: "List",
        object: "Record",
      },
    },
    "mode.fields.*.description": {
      label: "What it is",
      help: "Tells the model what to look for, e.g. the order number.",
    },
    "mode.fields.*.required": {
      label: "Must be found",
      help: "When missing, the flow takes the error path.",
    },
    temperature: { label: "Creativity", help: "0 gives steady answers, 1 and above more varied ones." },
    maxTokens: { label: "Longest answer (tokens)", help: "About 3/4 of a word each." },
    timeoutMs: TIMEOUT,
  },
  intent: {
    text: { label: "Text to understand", help: "Default: the visitor's last message." },
    classifier: {
      label: "Recognised by",
      help: "The built-in recogniser learns from your examples and works offline.",
      options: { nlu: "Built-in recogniser (offline)", llm: "A language model" },
    },
    modelRoute: MODEL_ROUTE,
    intents: {
      label: "What visitors may want",
      help: "Each one gets its own path on the canvas.",
      item: "Intent",
    },
    "intents.*": { label: "Intent", help: "One thing a visitor may want, with example sentences." },
    "intents.*.name": { label: "Name", help: "Also the name of its path; letters, digits, - and _." },
    "intents.*.description": { label: "Description", help: "Helps a language model tell intents apart." },
    "intents.*.examples": {
      label: "Example sentences",
      help: "How visitors say it; five or more work best.",
      item: "Example",
    },
    "intents.*.examples.*": { label: "Example", help: "One way of saying it." },
    entities: {
      label: "Details to pick out",
      help: "Values found in the same message (a size, an e-mail).",
      item: "Detail",
    },
    "entities.*": { label: "Detail", help: "One value to pick out of the message." },
    "entities.*.name": { label: "Name", help: "Letters, digits and _." },
    "entities.*.type": {
      label: "Kind",
      help: "Built-in kinds are recognised without set-up; a list matches your values.",
      options: {
        email: "E-mail",
        phone: "Phone number",
        number: "Number",
        date: "Date",
        url: "Web address",
        list: "One of my values",
      },
    },
    "entities.*.values": {
      label: "Values",
      help: "The values of the list, with other words for them.",
      item: "Value",
    },
    "entities.*.values.*": { label: "Value", help: "One value and its synonyms." },
    "entities.*.values.*.value": { label: "Value", help: "What is saved, e.g. large." },
    "entities.*.values.*.synonyms": {
      label: "Also written as",
      help: "Other words for it, e.g. big, XL.",
      item: "Synonym",
    },
    "entities.*.values.*.synonyms.*": { label: "Synonym", help: "Another word for the value." },
    "entities.*.saveTo": {
      label: "Save in",
      help: "The variable that receives the value found.",
      editor: "variable",
    },
    threshold: {
      label: "Confidence needed",
      help: "0 to 1: below it the fallback path is taken (0.7 is a good start).",
    },
    saveIntentTo: { label: "Save the intent's name in", help: "A text variable.", editor: "variable" },
  },
  knowledge: {
    question: { label: "Question", help: "Default: the visitor's last message." },
    citations: { label: "Show sources", help: "Add links to the documents the answer comes from." },
    reply: { label: "Send the answer", help: "Off: only save it in a variable." },
    topK: { label: "Passages to read", help: "How many best-matching passages the answer is built from." },
    minScore: {
      label: "Relevance needed",
      help: "0 to 1: passages below it are ignored; none left takes the no-answer path.",
    },
    modelRoute: MODEL_ROUTE,
    saveAnswerTo: {
      label: "Save the answer in",
      help: "A variable that keeps the answer.",
      editor: "variable",
    },
    timeoutMs: TIMEOUT,
  },
  handoff: {
    reason: { label: "Note for the agent", help: "Why the visitor needs a person; type {{ for variables." },
    queue: { label: "Team", help: "The inbox queue that receives it (empty: the default queue)." },
    message: { label: "Tell the visitor", help: "e.g. One moment, I am getting a colleague." },
    priority: {
      label: "Priority",
      help: "How urgently agents should pick it up.",
      options: { low: "Low", normal: "Normal", high: "High", urgent: "Urgent" },
    },
  },
  subflow: {
    flowId: {
      label: "Flow to run",
      help: "Another flow of this bot (its published version); this flow continues when it ends.",
      editor: "flow",
      options: { "const:": "Not chosen yet", string: "A flow" },
    },
    inputs: {
      label: "Values passed in",
      help: "Variables given to the flow when it starts.",
      item: "Value passed in",
    },
    "inputs.*": { label: "Value passed in", help: "One value handed to the called flow." },
    "inputs.*.child": { label: "Its variable", help: "The name of the variable in the called flow." },
    "inputs.*.parent": {
      label: "Gets the value of",
      help: "A variable of this flow.",
      editor: "variable-path",
    },
    outputs: {
      label: "Values brought back",
      help: "Copied back when the called flow ends.",
      item: "Value brought back",
    },
    "outputs.*": { label: "Value brought back", help: "One value copied back." },
    "outputs.*.child": { label: "Its variable", help: "The name of the variable in the called flow." },
    "outputs.*.parent": { label: "Save in", help: "A variable of this flow.", editor: "variable" },
  },
  jump: {
    targetNodeId: {
      label: "Continue at",
      help: "The step the conversation jumps to, like an arrow drawn from far away.",
      editor: "node",
      options: { "const:": "Not chosen yet", string: "A step" },
    },
  },
  wait: {
    duration: { label: "Wait for", help: "The conversation pauses, then continues (at most 30 days)." },
    "duration.amount": { label: "How long", help: "A whole number." },
    "duration.unit": {
      label: "Unit",
      help: "Seconds, minutes, hours or days.",
      options: { seconds: "seconds", minutes: "minutes", hours: "hours", days: "days" },
    },
  },
  "ab-split": {
    variants: { label: "Versions", help: "Each visitor gets one, by chance, and keeps it.", item: "Version" },
    "variants.*": { label: "Version", help: "One path and its share of visitors." },
    "variants.*.id": { label: "Name of its path", help: "Letters, digits, - and _." },
    "variants.*.label": { label: "Title", help: "Shown on the canvas and in analytics." },
    "variants.*.weight": { label: "Share of visitors (%)", help: "All versions together must make 100." },
  },
  end: {
    outcome: {
      label: "Outcome",
      help: "A tag for analytics, e.g. resolved or order-placed.",
    },
  },
};

/** The path of a field as the guide keys it: list indexes become `*` (`groups.0.rules` -> `groups.*.rules`). */
export function guidePattern(path: string): string {
  return path
    .split(".")
    .map((part) => (/^\d+$/.test(part) ? "*" : part))
    .join(".");
}

/** The words for the field at `path` of a `kind` node (undefined for a field with none). */
export function guideFor(kind: NodeKind, path: string): FieldGuide | undefined {
  return fieldGuides[kind]?.[guidePattern(path)];
}

function spaced(key: string): string {
  const words = key
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/[-_]/g, " ")
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A path inside a node (`label`, `data.input.options.1.label`) in the inspector's words:
 * "Title", "Button 2 › Button text". Used by the version diff to say what changed inside a node.
 */
export function fieldPathInWords(kind: NodeKind, path: string): string {
  if (path === "label") return "Title";
  if (path === "kind") return "Kind of step";
  const parts = path
    .replace(/^data\.?/, "")
    .split(".")
    .filter(Boolean);
  const words: string[] = [];
  const prefix: string[] = [];
  for (const part of parts) {
    if (/^\d+$/.test(part)) {
      const list = guideFor(kind, prefix.join("."));
      // "Buttons › Button 2" says the same twice: the item replaces its list's name.
      if (list?.item) words.pop();
      words.push(`${list?.item ?? "Item"} ${Number(part) + 1}`);
    } else {
      words.push(guideFor(kind, [...prefix, part].join("."))?.label ?? spaced(part));
    }
    prefix.push(part);
  }
  return words.join(" › ") || "Settings";
}

/** A value as the diff shows it: text in quotes, "not set", or short JSON. */
export function valueInWords(value: unknown): string {
  if (value === undefined) return "not set";
  if (typeof value === "string") return value.length > 80 ? `"${value.slice(0, 77)}..."` : `"${value}"`;
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}
