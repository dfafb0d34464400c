import { describe, expect, it } from "vitest";
import { main, usageText } from "./main";
import { memoryIo } from "./test-support/memory-io";

describe("parley dispatcher", () => {
  it("prints usage with every command and exits 2 when no command is given", async () => {
    const io = memoryIo();
    expect(await main([], io)).toBe(2);
    for (const command of ["start", "build", "migrate", "seed", "validate", "chat"])
      expect(io.out()).toContain(command);
    // Plumbing that `parley start` runs in child processes is not advertised.
    expect(io.out()).not.toContain("internal-");
  });

  it("prints one command's usage for `help <command>`", async () => {
    const io = memoryIo();
    expect(await main(["help", "chat"], io)).toBe(0);
    expect(io.out()).toContain("parley chat <flow.json>");
  });

  it("names an unknown command and exits 2", async () => {
    const io = memoryIo();
    expect(await main(["strat"], io)).toBe(2);
    expect(io.err()).toContain('unknown command "strat"');
    expect(io.err()).toContain(usageText().split("\n")[0]);
  });

  it("names a bad option and shows the command's usage, exit 2", async () => {
    const io = memoryIo();
    expect(await main(["start", "--wrokers", "2"], io)).toBe(2);
    expect(io.err()).toContain("unknown option --wrokers");
    expect(io.err()).toContain("Usage: parley start");
  });

  it("rejects a non-numeric worker count by name", async () => {
    const io = memoryIo();
    expect(await main(["start", "--workers", "many"], io)).toBe(2);
    expect(io.err()).toContain('--workers must be a positive whole number, got "many"');
  });

  it("rejects an invalid environment naming the variable, exit 1", async () => {
    const io = memoryIo();
    const saved = process.env.RUNTIME_PORT;
    process.env.RUNTIME_PORT = "seventy";
    try {
      expect(await main(["migrate", "--status"], io)).toBe(1);
      expect(io.err()).toContain("RUNTIME_PORT");
    } finally {
      if (saved === undefined) delete process.env.RUNTIME_PORT;
      else process.env.RUNTIME_PORT = saved;
    }
  });
});
