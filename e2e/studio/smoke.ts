// Manual helper: starts the stack and keeps it running (npx tsx e2e/studio/smoke.ts).
import { startStudioStack } from "./stack";

const stack = await startStudioStack({ withRuntime: process.env.WITH_RUNTIME === "1" });
console.log(
  JSON.stringify({
    studioUrl: stack.studioUrl,
    runtimeUrl: stack.runtimeUrl,
    owner: stack.owner,
    botId: stack.botId,
  }),
);
process.on("SIGTERM", () => void stack.close().then(() => process.exit(0)));
setInterval(() => {}, 1 << 30);
