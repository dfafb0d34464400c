import { createContext } from "preact";
import { useContext, useEffect, useState } from "preact/hooks";
import type { ImagePolicy } from "../client/images";
import type { ChatSession, ChatState } from "../client/session";
import type { WidgetTheme } from "../client/types";

/** What every component may need: the session, the bot's theme and the image policy. */
export interface WidgetContextValue {
  readonly session: ChatSession;
  readonly theme: WidgetTheme;
  readonly images: ImagePolicy;
}

/** Provided by App. */
export const WidgetContext = createContext<WidgetContextValue | undefined>(undefined);

/** The widget context; throws when a component is rendered outside App. */
export function useWidget(): WidgetContextValue {
  const value = useContext(WidgetContext);
  if (!value) throw new Error("widget components must be rendered inside <App>");
  return value;
}

/** The session's current state, re-rendering on every change. */
export function useChatState(session: ChatSession): ChatState {
  const [state, setState] = useState(session.getState());
  useEffect(() => {
    setState(session.getState());
    return session.subscribe(setState);
  }, [session]);
  return state;
}
