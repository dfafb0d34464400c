import { forbiddenHeaderReason } from "@parley/contract";
import { describe, expect, it } from "vitest";
import { edge, node, validFlowInput } from "../../test/fixtures";
import { checkFlow } from "../check";

/** Problems of the base flow with one http node setting `headers`. */
function problemsWith(headers: Record<string, string>, integrationId?: string) {
  const flow = validFlowInput();
  flow.nodes.push(
    node("call", "http", {
      ...(integrationId ? { integrationId, url: "/x" } : { url: "https://api.example.com/x" }),
      headers,
    }),
  );
  flow.edges = [
    ...(flow.edges ?? []).filter((e) => e.source !== "thanks"),
    edge("thanks", "next", "call"),
    edge("call", "success", "bye"),
    edge("call", "error", "bye"),
  ];
  return checkFlow(flow).problems.filter((problem) => problem.code === "forbidden-header");
}

describe("headers an http node may set", () => {
  it.each([
    "Host",
    "host",
    "Connection",
    "Keep-Alive",
    "Proxy-Connection",
    "Proxy-Authorization",
    "TE",
    "Trailer",
    "Transfer-Encoding",
    "Upgrade",
    "Content-Length",
  ])("refuses %s on every http node", (name) => {
    for (const integrationId of [undefined, "crm"]) {
      const [problem, ...rest] = problemsWith({ [name]: "x" }, integrationId);
      expect(rest).toEqual([]);
      expect(problem?.nodeId).toBe("call");
      expect(problem?.message).toContain(`http node "call" sets the header "${name}"`);
    }
  });

  it.each(["Authorization", "authorization", "Cookie", "Proxy-Authorization"])(
    "refuses the credential header %s on integration calls, in words",
    (name) => {
      const [problem] = problemsWith({ [name]: "Bearer {{ name }}" }, "crm");
      expect(problem?.message).toMatch(/carries credentials, which the integration adds itself/);
    },
  );

  it("lets plain http nodes send their own credentials and any ordinary header", () => {
    expect(problemsWith({ Authorization: "Bearer {{ name }}", Cookie: "a=b" })).toEqual([]);
    expect(problemsWith({ Accept: "application/json", "X-Request-Id": "1" }, "crm")).toEqual([]);
  });

  it("knows the integration's own credential header when told", () => {
    expect(forbiddenHeaderReason("x-api-key", { integration: true, credentialHeader: "X-Api-Key" })).toMatch(
      /carries credentials/,
    );
    expect(forbiddenHeaderReason("X-Api-Key", { integration: true })).toBeUndefined();
    expect(
      forbiddenHeaderReason("X-Api-Key", { integration: false, credentialHeader: "X-Api-Key" }),
    ).toBeUndefined();
  });
});
