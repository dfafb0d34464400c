import { useEffect, useRef, useState } from "preact/hooks";
import { ChatWindow } from "./ChatWindow";
import { useChatState, WidgetContext, type WidgetContextValue } from "./context";
import { Launcher } from "./Launcher";
import { themeVariables } from "./theme";

/** How the widget sits in the page. */
export type WidgetMode = "bubble" | "inline" | "popup";

/** Lets the embedding code open and close the window (the `Parley` API). */
export interface OpenControl {
  /** Set by App once mounted. */
  setOpen?: (open: boolean) => void;
  /** An open/close requested before App mounted. */
  requestedOpen?: boolean;
}

/** The whole widget: launcher (bubble and popup modes) and the chat window. */
export function App(props: {
  context: WidgetContextValue;
  mode: WidgetMode;
  initiallyOpen: boolean;
  dark: boolean;
  control: OpenControl;
  onOpenChange?: (open: boolean) => void;
}) {
  const { session, theme } = props.context;
  const inline = props.mode === "inline";
  const [open, setOpen] = useState(inline || (props.control.requestedOpen ?? props.initiallyOpen));
  const state = useChatState(session);
  const launcherRef = useRef<HTMLButtonElement>(null);
  const windowId = "parley-window";

  const change = (next: boolean, returnFocus: boolean) => {
    if (inline) return;
    setOpen(next);
    props.onOpenChange?.(next);
    if (!next && returnFocus) setTimeout(() => launcherRef.current?.focus());
  };
  props.control.setOpen = (next) => change(next, false);

  useEffect(() => {
    if (open) void session.ensureStarted();
  }, [open, session]);

  const position = theme.position === "bottom-left" ? "left" : "right";
  return (
    <WidgetContext.Provider value={props.context}>
      <div
        class={`frame ${inline ? "inline" : `floating ${position}`}${props.dark ? " dark" : ""}`}
        style={themeVariables(theme, props.dark)}
      >
        {open && (
          <ChatWindow id={windowId} state={state} onClose={inline ? undefined : () => change(false, true)} />
        )}
        {!inline && (
          <Launcher
            open={open}
            label={theme.title ?? "Chat with us"}
            controls={windowId}
            buttonRef={launcherRef}
            onToggle={() => change(!open, true)}
          />
        )}
      </div>
    </WidgetContext.Provider>
  );
}
