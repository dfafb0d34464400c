import type { ComponentChildren } from "preact";

/** A centered status line in the transcript (handoff, end of conversation). */
export function SystemNotice(props: { kind: "handoff" | "end"; children: ComponentChildren }) {
  return <div class={`notice ${props.kind}`}>{props.children}</div>;
}
