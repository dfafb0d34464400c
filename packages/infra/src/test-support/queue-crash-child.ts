/**
 * Child process for the embedded queue's crash test (not part of the package): opens the queue in
 * the directory given as argv[2], adds a delayed job, prints "added" once `add` resolved, then idles
 * until the test kills it with SIGKILL (no close, no flush beyond what `add` guaranteed).
 */
import { silentLogger } from "../internal/logger";
import { EmbeddedJobQueue } from "../queue/embedded/embedded-job-queue";

const dir = process.argv[2];
if (!dir) throw new Error("usage: queue-crash-child <dir>");
const queue = await EmbeddedJobQueue.open({ dir, logger: silentLogger });
await queue.add("timers", { conversationId: "c-crash" }, { delayMs: 400, jobId: "timer:c-crash" });
process.stdout.write("added\n");
setInterval(() => {}, 1_000);
