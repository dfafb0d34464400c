"use client";

import { useSyncExternalStore } from "react";
import { APPEARANCE_KEY } from "./appearance-script";

/** What the user chose: follow the system, or always light / dark. Stored in `localStorage`. */
export type AppearanceChoice = "system" | "light" | "dark";

const listeners = new Set<() => void>();

function storedChoice(): AppearanceChoice {
  try {
    const value = localStorage.getItem(APPEARANCE_KEY);
    return value === "light" || value === "dark" ? value : "system";
  } catch {
    return "system";
  }
}

function resolved(choice: AppearanceChoice): "light" | "dark" {
  if (choice !== "system") return choice;
  return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

/** Applies a choice to `<html>` (class and color-scheme) and tells every subscriber. */
function apply(choice: AppearanceChoice): void {
  const mode = resolved(choice);
  const root = document.documentElement;
  root.classList.remove("light", "dark");
  root.classList.add(mode);
  root.style.colorScheme = mode;
  for (const listener of listeners) listener();
}

/** Stores and applies the user's choice. */
export function setAppearance(choice: AppearanceChoice): void {
  try {
    if (choice === "system") localStorage.removeItem(APPEARANCE_KEY);
    else localStorage.setItem(APPEARANCE_KEY, choice);
  } catch {
    // Private mode without storage: the choice lasts for this page only.
  }
  apply(choice);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const media = window.matchMedia("(prefers-color-scheme: dark)");
  const onSystem = () => {
    if (storedChoice() === "system") apply("system");
  };
  const onStorage = (event: StorageEvent) => {
    if (event.key === APPEARANCE_KEY) apply(storedChoice());
  };
  media.addEventListener("change", onSystem);
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    media.removeEventListener("change", onSystem);
    window.removeEventListener("storage", onStorage);
  };
}

/** The user's choice and the mode in effect (`light` on the server, where nothing is known). */
export function useAppearance(): { choice: AppearanceChoice; mode: "light" | "dark" } {
  const choice = useSyncExternalStore(subscribe, storedChoice, () => "system" as const);
  const mode = useSyncExternalStore(
    subscribe,
    () => (document.documentElement.classList.contains("dark") ? "dark" : "light"),
    () => "light" as const,
  );
  return { choice, mode };
}
