import { describe, expect, it } from "vitest";
import { isSystemVariablePath, systemVariables } from "./system-variables";

describe("system variables", () => {
  it("includes the conversation basics under sys", () => {
    const paths = systemVariables.map((variable) => variable.path);
    for (const path of ["sys.conversationId", "sys.channel", "sys.contactName", "sys.lastUserMessage"]) {
      expect(paths).toContain(path);
    }
  });

  it("recognises known paths only", () => {
    expect(isSystemVariablePath("sys.channel")).toBe(true);
    expect(isSystemVariablePath("sys")).toBe(true);
    expect(isSystemVariablePath("sys.lastUserMessage.length")).toBe(true);
    expect(isSystemVariablePath("sys.password")).toBe(false);
    expect(isSystemVariablePath("channel")).toBe(false);
  });
});
