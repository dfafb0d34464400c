import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type ChildSpec, spawnChild, stopChild, waitUntilHealthy } from "./child-process";

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A health endpoint that answers 200, naming itself `instance` (or nobody). */
async function healthServer(instance: string | undefined): Promise<string> {
  const listening = createServer((_request, response) => {
    if (instance) response.setHeader("x-parley-instance", instance);
    response.end('{"status":"ok"}');
  });
  server = listening;
  await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(listening.address() as AddressInfo).port}/ready`;
}

/** A child that just waits (the health answers come from the test's server). */
function idleChild(healthUrl: string, instanceId: string) {
  const spec: ChildSpec = {
    name: "idle",
    command: process.execPath,
    args: ["-e", "setTimeout(() => {}, 60000)"],
    cwd: process.cwd(),
    env: process.env,
    healthUrl,
    instanceId,
  };
  return spawnChild(spec, { write: () => true } as unknown as NodeJS.WritableStream);
}

describe("waitUntilHealthy", () => {
  it("accepts a health answer that names the child's instance", async () => {
    const child = idleChild(await healthServer("instance-ours-1"), "instance-ours-1");
    await expect(waitUntilHealthy(child, 5_000)).resolves.toBeUndefined();
    await stopChild(child, 1_000);
  });

  it("does not take another process's answer on the port for its own child", async () => {
    const child = idleChild(await healthServer("instance-stale-9"), "instance-ours-1");
    await expect(waitUntilHealthy(child, 1_000)).rejects.toThrow(/another process answers at http/);
    await stopChild(child, 1_000);
  });
});
