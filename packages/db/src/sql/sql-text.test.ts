import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableTestDatabaseKinds, createTestDatabase, type TestDatabase } from "../testing/index";
import { joinSql, literal, quote, sql } from "./sql-text";

describe("SQL literals", () => {
  it("quotes like PQescapeLiteral: doubled quotes, E'' with doubled backslashes", () => {
    expect(quote("it's")).toBe("'it''s'");
    expect(quote("a\\b'")).toBe("E'a\\\\b'''");
    expect(literal(null)).toBe("NULL");
    expect(literal(undefined)).toBe("NULL");
    expect(literal(42)).toBe("42");
    expect(literal(-1.5)).toBe("-1.5");
    expect(literal(10n)).toBe("10");
    expect(literal(true)).toBe("TRUE");
    expect(literal(new Date("2026-01-02T03:04:05.678Z"))).toBe("'2026-01-02T03:04:05.678Z'::timestamptz");
    expect(literal({ a: "x'y" })).toBe(`'{"a":"x''y"}'::jsonb`);
  });

  it("refuses values that have no SQL form instead of writing something else", () => {
    expect(() => literal(Number.NaN)).toThrow(TypeError);
    expect(() => literal(Number.POSITIVE_INFINITY)).toThrow(TypeError);
    expect(() => literal(new Date("nope"))).toThrow(TypeError);
    expect(() => literal(() => 1)).toThrow(TypeError);
    expect(() => literal(Symbol("s"))).toThrow(TypeError);
  });

  it("inlines only sql fragments", () => {
    const inner = sql`x = ${"a"}`;
    expect(sql`SELECT 1 WHERE ${inner} AND ${"b"}`.text).toBe("SELECT 1 WHERE x = 'a' AND 'b'");
    expect(joinSql([sql`${1}`, sql`${2}`], ", ").text).toBe("1, 2");
  });
});

const kinds = await availableTestDatabaseKinds();

describe.each(kinds)("SQL literals on %s", (kind) => {
  let testDb: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    testDb = await createTestDatabase({ kind, migrate: false });
    pool = new pg.Pool({ connectionString: testDb.url, max: 1 });
  });
  afterAll(async () => {
    await pool?.end();
    await testDb?.cleanup();
  });

  const hostile = [
    "plain",
    "it's",
    "'; DROP TABLE x; --",
    "back\\slash \\' \\\\",
    "E'\\x41'",
    "$$dollar$$ $tag$",
    "unicode: héllo 🍕 \u2028",
    "new\nline\r\ttab",
    "",
  ];

  it("round-trips hostile strings exactly, as text and inside JSON, under both string modes", async () => {
    for (const mode of ["on", "off"]) {
      await pool.query(`SET standard_conforming_strings = ${mode}`);
      for (const text of hostile) {
        const { rows } = await pool.query(sql`SELECT ${text}::text AS t, ${{ text, [text]: 1 }} AS j`.text);
        expect(rows[0].t).toBe(text);
        expect(rows[0].j).toEqual({ text, [text]: 1 });
      }
    }
    await pool.query("SET standard_conforming_strings = on");
  });

  it("stores NUL (which Postgres text cannot hold) as U+FFFD, in text and JSON", async () => {
    const { rows } = await pool.query(sql`SELECT ${"a\0b"}::text AS t, ${{ "k\0": "v\0" }} AS j`.text);
    expect(rows[0].t).toBe("a\uFFFDb");
    expect(rows[0].j).toEqual({ "k\uFFFD": "v\uFFFD" });
  });
});
