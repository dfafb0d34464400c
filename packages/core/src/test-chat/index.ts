/** The designer's test chat: a draft run turn by turn with the bot's real ports (needs `flows:write`). */
export { runTestTurn, type TestTurnInput, testTurnInputSchema } from "./test-chat";
export type { TestTurnEvent, TestTurnResult } from "./test-turn";
