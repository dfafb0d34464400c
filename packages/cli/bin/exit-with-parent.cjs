// Preloaded (`node --require`) into children `parley start` supervises that cannot watch their parent
// themselves (the studio's `next start`): when the supervisor's IPC channel closes because it died
// without stopping us (SIGKILL, OOM), ask ourselves to stop, so no orphan keeps the port.
// The channel is unref'd: it must not keep the process alive on its own.
"use strict";
if (typeof process.send === "function" && process.channel) {
  process.channel.unref();
  process.once("disconnect", () => process.kill(process.pid, "SIGTERM"));
}
