"use client";

import { Toaster as SonnerToaster } from "sonner";
import { useAppearance } from "./appearance";

/**
 * Toasts for background results ("Saved", "Import finished", a failed background call): `toast("…")`,
 * `toast.success`, `toast.error`, `toast.promise` from sonner. Announced politely to screen readers;
 * F8 (sonner's hotkey) moves focus to them. Mounted once, in app/layout.tsx.
 */
export { toast } from "sonner";

/** The one toast region of the studio, following the light / dark appearance. */
export function Toaster() {
  const { mode } = useAppearance();
  return <SonnerToaster theme={mode} position="bottom-right" closeButton richColors />;
}
