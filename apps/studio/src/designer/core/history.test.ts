import { describe, expect, it } from "vitest";
import { canRedo, canUndo, createHistory, pushHistory, redo, replacePresent, undo } from "./history";

describe("history", () => {
  it("undoes and redoes in order, and a new step drops the redo branch", () => {
    let h = createHistory("a");
    h = pushHistory(h, "b");
    h = pushHistory(h, "c");
    h = undo(h);
    expect(h.present).toBe("b");
    expect(canRedo(h)).toBe(true);
    h = undo(h);
    expect(h.present).toBe("a");
    expect(canUndo(h)).toBe(false);
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present).toBe("b");
    h = pushHistory(h, "d");
    expect(canRedo(h)).toBe(false);
    expect(h.past).toEqual(["a", "b"]);
  });

  it("caps the past and ignores identical pushes", () => {
    let h = createHistory(0);
    for (let i = 1; i <= 10; i++) h = pushHistory(h, i, 3);
    expect(h.past).toEqual([7, 8, 9]);
    expect(pushHistory(h, 10)).toBe(h);
  });

  it("replaces the present without a step", () => {
    const h = replacePresent(pushHistory(createHistory("a"), "b"), "b2");
    expect(h.present).toBe("b2");
    expect(undo(h).present).toBe("a");
  });
});
